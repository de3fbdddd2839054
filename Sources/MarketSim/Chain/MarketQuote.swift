/// A Kite-style full quote of one instrument at one instant, prices in paise.
public struct MarketQuote: Sendable, Equatable {
    /// One depth level: price (paise), quantity (units) and number of orders.
    public struct DepthLevel: Sendable, Equatable {
        public var pricePaise: Int64
        public var quantity: Int64
        public var orders: Int64
    }

    public var instrumentToken: Int64
    public var time: MarketTime
    public var lastPricePaise: Int64
    public var lastQuantity: Int64
    /// Last trade instant; nil for indices and before a contract's first trade of the day.
    public var lastTradeTime: MarketTime?
    public var averagePricePaise: Int64
    public var volume: Int64
    /// Total quantity on the five bid and ask levels.
    public var buyQuantity: Int64
    public var sellQuantity: Int64
    /// Session open, high and low so far, and the previous close.
    public var openPaise: Int64
    public var highPaise: Int64
    public var lowPaise: Int64
    public var closePaise: Int64
    public var openInterest: Int64
    public var openInterestDayHigh: Int64
    public var openInterestDayLow: Int64
    /// Five levels each side, best first; empty for indices. Missing levels are zeros.
    public var buyDepth: [DepthLevel]
    public var sellDepth: [DepthLevel]
}

extension Market {
    /// The quote of any instrument listed in this session (spot index, INDIA VIX, future, option)
    /// at `time`, or nil for an unknown token or an instant outside the session.
    ///
    /// `tapes`, when given, lets a caller that asks in increasing time extend trade tapes instead of
    /// replaying each from the open; the answer is the same either way.
    public func quote(token: Int64, at time: MarketTime, tapes: TapeCache? = nil) -> MarketQuote? {
        guard let second = try? secondOfSession(time) else { return nil }
        let stamp = spec.calendar.time(date, secondOfSession: second)
        if let index = indices.first(where: { $0.spotToken == token }) {
            return indexQuote(index, token: token, second: second, time: stamp)
        }
        if token == spec.vix.spotToken, indices.contains(where: { $0.name == "NIFTY" }) {
            let level = Int64((indiaVIX(second: second) * 100).rounded())
            let open = Int64((indiaVIX(second: 0) * 100).rounded())
            return MarketQuote(
                instrumentToken: token, time: stamp, lastPricePaise: level, lastQuantity: 0, lastTradeTime: nil,
                averagePricePaise: 0, volume: 0, buyQuantity: 0, sellQuantity: 0, openPaise: open,
                highPaise: max(open, level), lowPaise: min(open, level), closePaise: open, openInterest: 0,
                openInterestDayHigh: 0, openInterestDayLow: 0, buyDepth: [], sellDepth: [])
        }
        guard let contract = contractsByToken[token],
            let index = indices.first(where: { $0.number == contract.indexNumber })
        else { return nil }
        let slice = self.slice(index, expiry: contract.expiry, second: second)
        let quote = contract.right.map { Market.quote(strikePaise: contract.strikePaise, right: $0, slice: slice) }
            ?? Market.futureQuote(slice)
        let tape = tradeTape(contract, through: second, cache: SliceCache(market: self, index: index), tapes: tapes)
        let opening = self.slice(index, expiry: contract.expiry, second: 0)
        let openQuote = contract.right.map { Market.quote(strikePaise: contract.strikePaise, right: $0, slice: opening) }
            ?? Market.futureQuote(opening)
        let openTicks = (openQuote.bid + openQuote.ask) / 2
        let last = tape.lastPriceTicks ?? openTicks
        let depth = self.depth(contract, quote: quote, second: second)
        let tick = QuoteRule.tickPaise
        return MarketQuote(
            instrumentToken: token, time: stamp, lastPricePaise: last * tick, lastQuantity: tape.lastQuantity,
            lastTradeTime: tape.lastSecond.map { spec.calendar.time(date, secondOfSession: $0) },
            averagePricePaise: tape.averagePriceTicks * tick, volume: tape.volume,
            buyQuantity: depth.buy.reduce(0) { $0 + $1.quantity }, sellQuantity: depth.sell.reduce(0) { $0 + $1.quantity },
            openPaise: openTicks * tick, highPaise: max(openTicks, last) * tick, lowPaise: min(openTicks, last) * tick,
            closePaise: openTicks * tick, openInterest: tape.openInterest, openInterestDayHigh: tape.openInterestHigh,
            openInterestDayLow: tape.openInterestLow, buyDepth: depth.buy, sellDepth: depth.sell)
    }

    func indexQuote(_ index: IndexSpec, token: Int64, second: Int, time: MarketTime) -> MarketQuote {
        let path = paths[index.number]!
        var high = path.level[0]
        var low = path.level[0]
        for s in 0...second {
            high = max(high, path.level[s])
            low = min(low, path.level[s])
        }
        func paise(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }
        return MarketQuote(
            instrumentToken: token, time: time, lastPricePaise: paise(path.level[second]), lastQuantity: 0,
            lastTradeTime: nil, averagePricePaise: 0, volume: 0, buyQuantity: 0, sellQuantity: 0,
            openPaise: paise(path.open), highPaise: paise(high), lowPaise: paise(low),
            closePaise: paise(path.previousClose), openInterest: 0, openInterestDayHigh: 0, openInterestDayLow: 0,
            buyDepth: [], sellDepth: [])
    }

    /// Five levels each side from the best bid and ask, one tick apart, sizes in whole lots.
    func depth(_ contract: Contract, quote: (bid: Int64, ask: Int64), second: Int)
        -> (buy: [MarketQuote.DepthLevel], sell: [MarketQuote.DepthLevel])
    {
        let stream = CounterRandom.stream(RandomStreams.depth, UInt64(contract.instrumentToken))
        let counter = UInt64(date.daysSinceEpoch) << 16 | UInt64(second)
        var buy: [MarketQuote.DepthLevel] = []
        var sell: [MarketQuote.DepthLevel] = []
        for level in 0..<5 {
            let (a, b) = random.words(stream: stream, index: counter, lane: UInt32(level))
            let bidTicks = quote.bid - Int64(level)
            if bidTicks > 0 {
                let lots = 1 + Int64(a % 40) * Int64(level + 1)
                buy.append(.init(pricePaise: bidTicks * QuoteRule.tickPaise, quantity: lots * contract.lotSize,
                                 orders: 1 + Int64((a >> 32) % UInt64(min(lots, 20)))))
            } else {
                buy.append(.init(pricePaise: 0, quantity: 0, orders: 0))
            }
            let lots = 1 + Int64(b % 40) * Int64(level + 1)
            sell.append(.init(pricePaise: (quote.ask + Int64(level)) * QuoteRule.tickPaise, quantity: lots * contract.lotSize,
                              orders: 1 + Int64((b >> 32) % UInt64(min(lots, 20)))))
        }
        return (buy, sell)
    }
}
