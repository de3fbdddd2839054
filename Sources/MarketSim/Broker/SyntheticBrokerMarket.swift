/// A small deterministic `BrokerMarket`: NIFTY spot, one future and weekly option chains.
///
/// A stand-in for the real market model in broker tests, benchmarks and demos. Every value is
/// a pure function of (seed, token, second), computed in integer paise plus `PortableMath.exp`,
/// so answers never depend on call order. Prices are plausible, not arbitrage-free.
public struct SyntheticBrokerMarket: BrokerMarket, Sendable {
    /// The IST date of the first listing; expiries are the Tuesdays that follow it.
    public let firstDate: KiteDate
    public let seed: UInt64
    /// Every instrument ever listed, in dump order.
    public let allInstruments: [KiteInstrument]
    private let byToken: [UInt32: Int]
    private let random: CounterRandom
    static let spotToken: UInt32 = 256_265
    static let spotBasePaise: Int64 = 2_400_000
    static let lotSize: Int64 = 65

    /// A market listing `expiries` weekly NIFTY expiries from `firstDate`, `strikesPerSide`
    /// strikes of ₹50 each side of 24000.
    public init(seed: UInt64, firstDate: KiteDate, expiries: Int = 4, strikesPerSide: Int = 30) {
        self.seed = seed
        self.firstDate = firstDate
        random = CounterRandom(seed: seed)
        var rows: [KiteInstrument] = [
            KiteInstrument(
                instrumentToken: SyntheticBrokerMarket.spotToken, exchangeToken: 1001, tradingsymbol: "NIFTY 50",
                name: "NIFTY 50", lastPricePaise: 0, expiry: nil, strikePaise: 0, tickSizePaise: 0, lotSize: 0,
                instrumentType: "EQ", segment: "INDICES", exchange: "NSE")
        ]
        var tuesday = firstDate
        while tuesday.isoWeekday != 2 { tuesday = tuesday.adding(days: 1) }
        var exchangeToken: UInt32 = 40_000
        for week in 0..<expiries {
            let expiry = tuesday.adding(days: 7 * week)
            let monthly = expiry.adding(days: 7).month != expiry.month
            if monthly {
                rows.append(SyntheticBrokerMarket.row(exchangeToken, expiry: expiry, strike: nil, type: "FUT"))
                exchangeToken += 1
            }
            for step in -strikesPerSide...strikesPerSide {
                let strike = SyntheticBrokerMarket.spotBasePaise + Int64(step) * 5000
                for type in ["CE", "PE"] {
                    rows.append(SyntheticBrokerMarket.row(exchangeToken, expiry: expiry, strike: strike, type: type))
                    exchangeToken += 1
                }
            }
        }
        allInstruments = rows
        var index: [UInt32: Int] = [:]
        for (position, row) in rows.enumerated() { index[row.instrumentToken] = position }
        byToken = index
    }

    static func row(_ exchangeToken: UInt32, expiry: KiteDate, strike: Int64?, type: String) -> KiteInstrument {
        KiteInstrument(
            instrumentToken: exchangeToken * 256 + 2, exchangeToken: exchangeToken,
            tradingsymbol: symbol(expiry: expiry, strike: strike, type: type), name: "NIFTY", lastPricePaise: 0,
            expiry: expiry, strikePaise: strike ?? 0, tickSizePaise: 5, lotSize: lotSize, instrumentType: type,
            segment: type == "FUT" ? "NFO-FUT" : "NFO-OPT", exchange: "NFO")
    }

    /// Kite's tradingsymbol: `NIFTY25DECFUT`, `NIFTY25DEC24000CE` (monthly), `NIFTY25D1624000CE` (weekly).
    public static func symbol(expiry: KiteDate, strike: Int64?, type: String) -> String {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let year = String(expiry.year % 100)
        let monthly = expiry.adding(days: 7).month != expiry.month
        guard let strike else { return "NIFTY\(year)\(months[expiry.month - 1])FUT" }
        let strikeText = strike % 100 == 0 ? String(strike / 100) : String(Double(strike) / 100)
        if monthly { return "NIFTY\(year)\(months[expiry.month - 1])\(strikeText)\(type)" }
        let monthCode = expiry.month <= 9 ? String(expiry.month) : ["O", "N", "D"][expiry.month - 10]
        let day = expiry.day < 10 ? "0\(expiry.day)" : String(expiry.day)
        return "NIFTY\(year)\(monthCode)\(day)\(strikeText)\(type)"
    }

    public func instruments(on date: KiteDate) -> [KiteInstrument] {
        allInstruments.filter { $0.expiry.map { $0 >= date } ?? true }
    }

    /// NIFTY spot in paise at `second` (a slow minute-level wander plus second-level noise).
    public func spotPaise(atSecond second: Int64) -> Int64 {
        let stream = CounterRandom.stream("synthetic/spot")
        let slow = random.uniform(stream: stream, index: UInt64(bitPattern: second.dividedFloor(60)))
        let fast = random.uniform(stream: stream ^ 1, index: UInt64(bitPattern: second))
        let value = SyntheticBrokerMarket.spotBasePaise + Int64((slow - 0.5) * 20_000) + Int64((fast - 0.5) * 1_000)
        return value - value % 5
    }

    public func quote(token: UInt32, at instant: KiteInstant) -> KiteQuote? {
        guard let position = byToken[token] else { return nil }
        let instrument = allInstruments[position]
        let date = instant.istDate
        if let expiry = instrument.expiry, expiry < date { return nil }
        let second = instant.secondsSinceEpoch
        let spot = spotPaise(atSecond: second)
        let open = spotPaise(atSecond: KiteInstant(ist: date, hour: 9, minute: 15).secondsSinceEpoch)
        if token == SyntheticBrokerMarket.spotToken {
            return KiteQuote(instrumentToken: token, exchangeTime: KiteInstant(secondsSinceEpoch: second),
                             lastTradeTime: nil, lastPricePaise: spot, openPaise: open, highPaise: max(open, spot) + 2_000,
                             lowPaise: min(open, spot) - 2_000, closePaise: SyntheticBrokerMarket.spotBasePaise)
        }
        let ltp = price(instrument, spot: spot)
        let noise = random.words(stream: CounterRandom.stream(CounterRandom.stream("synthetic/trades"), UInt64(token)),
                                 index: UInt64(bitPattern: second)).0
        let minuteOfDay = Int64(instant.istSecondOfDay / 60)
        let volume = Int64(token % 997 + 1) * SyntheticBrokerMarket.lotSize * max(1, minuteOfDay - 554)
        let oi = Int64(token % 4_093 + 100) * SyntheticBrokerMarket.lotSize * 10
        let spread: Int64 = 5 * Int64(1 + noise % 3)
        var bids = KiteDepthLevels()
        var asks = KiteDepthLevels()
        for level in 0..<5 {
            let step = spread * Int64(level + 1)
            let bits = noise >> UInt64(8 * level)
            let bidQuantity = SyntheticBrokerMarket.lotSize * Int64(1 + bits % 40)
            let askQuantity = SyntheticBrokerMarket.lotSize * Int64(1 + (bits >> 3) % 40)
            let orders = Int64(1 + (bits >> 2) % 9)
            bids.append(KiteDepthLevel(pricePaise: max(5, ltp - step), quantity: bidQuantity, orders: orders))
            asks.append(KiteDepthLevel(pricePaise: ltp + step, quantity: askQuantity, orders: orders))
        }
        let close = price(instrument, spot: SyntheticBrokerMarket.spotBasePaise)
        return KiteQuote(
            instrumentToken: token, exchangeTime: KiteInstant(secondsSinceEpoch: second),
            lastTradeTime: KiteInstant(secondsSinceEpoch: second - Int64(noise % 5)), lastPricePaise: ltp,
            lastQuantity: SyntheticBrokerMarket.lotSize * Int64(1 + noise % 10), averagePricePaise: (ltp + close) / 2 / 5 * 5,
            volume: volume, buyQuantity: bids.reduce(0) { $0 + $1.quantity } * 7,
            sellQuantity: asks.reduce(0) { $0 + $1.quantity } * 7, openPaise: close, highPaise: max(close, ltp) + 500,
            lowPaise: max(5, min(close, ltp) - 500), closePaise: close, oi: oi, oiDayHigh: oi + oi / 10,
            oiDayLow: oi - oi / 10, lowerCircuitPaise: 5, upperCircuitPaise: close * 3 + 5, bids: bids, asks: asks)
    }

    /// A simple option value: intrinsic plus a Gaussian-shaped time value, on the 0.05 tick.
    func price(_ instrument: KiteInstrument, spot: Int64) -> Int64 {
        if instrument.instrumentType == "FUT" { return spot + 5_000 }
        let moneyness = Double(spot - instrument.strikePaise)
        let intrinsic = instrument.instrumentType == "CE" ? max(0, moneyness) : max(0, -moneyness)
        let width = Double(SyntheticBrokerMarket.spotBasePaise) * 0.02
        let timeValue = 12_000 * PortableMath.exp(-(moneyness * moneyness) / (2 * width * width))
        let value = Int64(intrinsic + timeValue)
        return max(5, value - value % 5)
    }

    public func minuteCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle] {
        var candles: [KiteCandle] = []
        var day = from.istDate
        while KiteInstant(ist: day, hour: 0, minute: 0) <= to {
            defer { day = day.adding(days: 1) }
            guard day.isoWeekday <= 5 else { continue }
            for minute in 0..<375 {
                let start = KiteInstant(ist: day, hour: 9, minute: 15 + minute)
                guard start >= from, start <= to else { continue }
                let prices = stride(from: 0, to: 60, by: 20).compactMap {
                    quote(token: token, at: start.adding(nanoseconds: Int64($0) * 1_000_000_000))
                }
                guard let first = prices.first, let last = prices.last else { continue }
                candles.append(KiteCandle(
                    start: start, openPaise: first.lastPricePaise, highPaise: prices.map(\.lastPricePaise).max()!,
                    lowPaise: prices.map(\.lastPricePaise).min()!, closePaise: last.lastPricePaise,
                    volume: last.volume - first.volume + last.lastQuantity, oi: last.oi))
            }
        }
        return candles
    }
}

extension Int64 {
    fileprivate func dividedFloor(_ divisor: Int64) -> Int64 { KiteTime.floorDiv(self, divisor) }
}
