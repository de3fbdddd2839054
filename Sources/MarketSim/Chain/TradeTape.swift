/// A contract's trades as a seeded point process, and the day's volume, last trade and open interest.
///
/// Per (contract, minute), one counter-based draw gives a Poisson number of trades with intensity
/// λ = trades/min × U-shaped activity × moneyness weight × expiry weight, then each trade's second,
/// side (hit the bid, lift the ask, or cross at the mid) and size in lots. A trade at second s
/// prices against the quote in force at s (quotes update before trades), so bid ≤ price ≤ ask.
/// Open interest starts from a daily draw clustered at round strikes and moves with each trade by
/// ± its quantity (never below 0), so |ΔOI| ≤ volume. Replaying minutes 0…m recomputes the state at
/// any instant; nothing is stored between questions.
public struct TradeTape: Sendable, Equatable {
    /// Cumulative quantity traded today (units, multiples of the lot).
    public var volume: Int64 = 0
    /// Sum of price × quantity, in tick-units, for the average price.
    public var turnoverTicks: Int64 = 0
    /// Last trade price in ticks, its quantity and second of session; nil before the first trade.
    public var lastPriceTicks: Int64?
    public var lastQuantity: Int64 = 0
    public var lastSecond: Int?
    /// Open interest (units) and the day's extremes.
    public var openInterest: Int64
    public var openInterestHigh: Int64
    public var openInterestLow: Int64
    /// Trades so far.
    public var tradeCount = 0

    static let tradesPerMinuteMax = 40

    init(openInterest: Int64) {
        self.openInterest = openInterest
        openInterestHigh = openInterest
        openInterestLow = openInterest
    }

    /// The tape after every trade up to and including `second`.
    /// - Parameters:
    ///   - intensity: trades per minute expected in a minute (from the state at the minute's start).
    ///   - quoteAt: the (bid, ask) in ticks in force at a second.
    static func replay(
        random: CounterRandom, stream: UInt64, day: TradingDate, lotSize: Int64, openInterest: Int64, through second: Int,
        sessionSeconds: Int, halts: [MarketHalt], intensity: (Int) -> Double, quoteAt: (Int) -> (bid: Int64, ask: Int64)
    ) -> TradeTape {
        var tape = TradeTape(openInterest: openInterest)
        let minutes = min(second, sessionSeconds - 1) / 60
        guard second >= 0 else { return tape }
        for minute in 0...minutes {
            let trades = TradeTape.trades(
                random: random, stream: stream, day: day, minute: minute, lambda: intensity(minute),
                sessionSeconds: sessionSeconds, halts: halts)
            for trade in trades where trade.second <= second {
                tape.apply(trade, quote: quoteAt(trade.second), lotSize: lotSize)
            }
        }
        return tape
    }

    /// One trade's random parts: second, side (0 bid, 1 ask, 2 mid), lots, whether it opens interest.
    struct Draw: Equatable {
        var second: Int
        var side: Int
        var lots: Int64
        var opens: Bool
    }

    /// The trades of one minute, ordered by second then draw number; none falls in a halt.
    static func trades(random: CounterRandom, stream: UInt64, day: TradingDate, minute: Int, lambda: Double,
                       sessionSeconds: Int, halts: [MarketHalt]) -> [Draw]
    {
        trades(key: random.key(stream: stream), day: day, minute: minute, lambda: lambda, sessionSeconds: sessionSeconds,
               halts: halts)
    }

    /// `trades(random:stream:…)` for a caller holding the stream's Philox key. Trades drawn inside a
    /// halt are dropped (the draws of the other trades are unchanged).
    static func trades(key: SIMD2<UInt32>, day: TradingDate, minute: Int, lambda: Double, sessionSeconds: Int,
                       halts: [MarketHalt]) -> [Draw] {
        guard lambda > 0 else { return [] }
        let counter = UInt64(day.daysSinceEpoch) << 12 | UInt64(minute)
        let (countBits, _) = CounterRandom.words(key: key, index: counter, lane: 0)
        let u = Double(countBits >> 11) * 0x1.0p-53
        var count = 0
        var probability = KernelMath.exp(-lambda)
        var cumulative = probability
        while u > cumulative, count < tradesPerMinuteMax {
            count += 1
            probability *= lambda / Double(count)
            cumulative += probability
        }
        var draws: [Draw] = []
        draws.reserveCapacity(count)
        for j in 0..<count {
            let (a, b) = CounterRandom.words(key: key, index: counter, lane: UInt32(1 + j))
            let second = minute * 60 + Int(a % 60)
            guard second < sessionSeconds, halts.isEmpty || !halts.contains(where: { $0.contains(second) }) else { continue }
            let side = Int((b & 0xFF) % 10)
            // Lots: 1 + a geometric count (P(n) ∝ 2^-n), capped at 12.
            let lots = 1 + Int64(min((b >> 8).trailingZeroBitCount, 11))
            draws.append(Draw(second: second, side: side < 4 ? 0 : side < 8 ? 1 : 2, lots: lots, opens: (b >> 60) & 1 == 1))
        }
        // Insertion sort by second; stable, and counts are small.
        if draws.count > 1 {
            for i in 1..<draws.count {
                let item = draws[i]
                var j = i - 1
                while j >= 0, draws[j].second > item.second {
                    draws[j + 1] = draws[j]
                    j -= 1
                }
                draws[j + 1] = item
            }
        }
        return draws
    }

    mutating func apply(_ trade: Draw, quote: (bid: Int64, ask: Int64), lotSize: Int64) {
        var price: Int64
        switch trade.side {
        case 0: price = quote.bid > 0 ? quote.bid : quote.ask
        case 1: price = quote.ask
        default: price = (quote.bid + quote.ask) / 2
        }
        if price <= 0 { price = quote.ask }
        let quantity = trade.lots * lotSize
        volume += quantity
        turnoverTicks += price * quantity
        lastPriceTicks = price
        lastQuantity = quantity
        lastSecond = trade.second
        tradeCount += 1
        openInterest += trade.opens ? quantity : -min(quantity, openInterest)
        openInterestHigh = max(openInterestHigh, openInterest)
        openInterestLow = min(openInterestLow, openInterest)
    }

    /// Volume-weighted average price in ticks (rounded down), 0 before the first trade.
    public var averagePriceTicks: Int64 { volume > 0 ? turnoverTicks / volume : 0 }
}
