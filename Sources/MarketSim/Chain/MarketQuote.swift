/// A Kite-style full quote of one instrument at one instant, prices in paise.
public struct MarketQuote: Sendable, Equatable {
    /// One depth level: price (paise), quantity (units) and number of orders.
    /// (`KiteDepthLevel` on the broker side is this type.)
    public struct DepthLevel: Sendable, Equatable {
        public var pricePaise: Int64
        public var quantity: Int64
        public var orders: Int64

        public init(pricePaise: Int64, quantity: Int64, orders: Int64) {
            self.pricePaise = pricePaise
            self.quantity = quantity
            self.orders = orders
        }

        /// An empty level (all zeros), as Kite shows beyond the book.
        public static let empty = DepthLevel(pricePaise: 0, quantity: 0, orders: 0)
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
    public var buyDepth: DepthLevels
    public var sellDepth: DepthLevels
}

extension Market {
    /// The quote of any instrument listed in this session (spot index, INDIA VIX, future, option)
    /// at `time`, or nil for an unknown token or an instant outside the session.
    ///
    /// `cache`, made for this market, lets a caller asking many contracts at the same seconds in
    /// increasing time (a broker serving a session) share slices and extend trade tapes instead
    /// of replaying each from the open; the answer is the same either way.
    public func quote(token: Int64, at time: MarketTime, cache: QuoteCache? = nil) -> MarketQuote? {
        guard let second = try? secondOfSession(time) else { return nil }
        return quote(token: token, tradedSecond: second, cache: cache)
    }

    /// `quote(token:at:cache:)` at `second`, a result of `secondOfSession(_:)` (so already moved
    /// out of any halt), for a caller answering many tokens at one instant.
    @inline(__always)
    public func quote(token: Int64, tradedSecond second: Int, cache: QuoteCache? = nil) -> MarketQuote? {
        guard let cache else {
            return quote(token: token, tradedSecond: second) { id in
                var slices = SliceMemo()
                var cursor = openingCursor(id)
                cursor.advance(through: second, terms: quoteTerms[id], market: self, slices: &slices)
                let slice = slices.slice(group: quoteTerms[id].group, second: second, market: self)
                return (quote(quoteTerms[id], slice: slice), cursor.tape, cursor.openTicks)
            }
        }
        return quote(token: token, tradedSecond: second) { id in cache.answer(self, id: id, second: second) }
    }

    /// `quote(token:tradedSecond:cache:)` with a contract's (bid, ask), tape and opening mid from
    /// `answer` (given its id).
    func quote(
        token: Int64, tradedSecond second: Int,
        answer: (Int) -> (quote: (bid: Int64, ask: Int64), tape: TradeTape, openTicks: Int64)
    ) -> MarketQuote? {
        let stamp = spec.calendar.time(date, secondOfSession: second)
        guard let id = contractIDs[token] else { return otherQuote(token: token, second: second, time: stamp) }
        let answer = answer(id)
        let tape = answer.tape
        let openTicks = answer.openTicks
        let last = tape.lastPriceTicks ?? openTicks
        let depth = self.depth(quoteTerms[id], quote: answer.quote, second: second)
        let tick = QuoteRule.tickPaise
        return MarketQuote(
            instrumentToken: token, time: stamp, lastPricePaise: last * tick, lastQuantity: tape.lastQuantity,
            lastTradeTime: tape.lastSecond.map { spec.calendar.time(date, secondOfSession: $0) },
            averagePricePaise: tape.averagePriceTicks * tick, volume: tape.volume,
            buyQuantity: depth.buyQuantity, sellQuantity: depth.sellQuantity,
            openPaise: openTicks * tick, highPaise: max(openTicks, last) * tick, lowPaise: min(openTicks, last) * tick,
            closePaise: openTicks * tick, openInterest: tape.openInterest, openInterestDayHigh: tape.openInterestHigh,
            openInterestDayLow: tape.openInterestLow, buyDepth: depth.buy, sellDepth: depth.sell)
    }

    /// The quote of a spot index or INDIA VIX, or nil for a token this session does not list.
    func otherQuote(token: Int64, second: Int, time stamp: MarketTime) -> MarketQuote? {
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
        return nil
    }

    func indexQuote(_ index: IndexSpec, token: Int64, second: Int, time: MarketTime) -> MarketQuote {
        let path = paths[index.number]!
        func paise(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }
        return MarketQuote(
            instrumentToken: token, time: time, lastPricePaise: paise(path.level[second]), lastQuantity: 0,
            lastTradeTime: nil, averagePricePaise: 0, volume: 0, buyQuantity: 0, sellQuantity: 0,
            openPaise: paise(path.open), highPaise: paise(path.highSoFar[second]), lowPaise: paise(path.lowSoFar[second]),
            closePaise: paise(path.previousClose), openInterest: 0, openInterestDayHigh: 0, openInterestDayLow: 0,
            buyDepth: [], sellDepth: [])
    }

    /// Five levels each side from the best bid and ask, one tick apart, sizes in whole lots, and
    /// each side's total quantity. (Inlined into its one caller, so the levels are built where
    /// the quote holds them rather than returned and copied.)
    @inline(__always)
    func depth(_ terms: QuoteTerms, quote: (bid: Int64, ask: Int64), second: Int)
        -> (buy: MarketQuote.DepthLevels, sell: MarketQuote.DepthLevels, buyQuantity: Int64, sellQuantity: Int64)
    {
        let draws = depthDraws(terms, second: second)
        let lotSize = terms.lotSize
        @inline(__always)
        func level(_ level: Int) -> (buy: MarketQuote.DepthLevel, sell: MarketQuote.DepthLevel) {
            let draw = draws.level(level)
            var buy = MarketQuote.DepthLevel(pricePaise: 0, quantity: 0, orders: 0)
            let bidTicks = quote.bid - Int64(level)
            if bidTicks > 0 {
                buy = .init(pricePaise: bidTicks * QuoteRule.tickPaise, quantity: draw.buyLots * lotSize, orders: draw.buyOrders)
            }
            let sell = MarketQuote.DepthLevel(
                pricePaise: (quote.ask + Int64(level)) * QuoteRule.tickPaise, quantity: draw.sellLots * lotSize,
                orders: draw.sellOrders)
            return (buy, sell)
        }
        let (l0, l1, l2, l3, l4) = (level(0), level(1), level(2), level(3), level(4))
        let buyQuantity = l0.buy.quantity + l1.buy.quantity + l2.buy.quantity + l3.buy.quantity + l4.buy.quantity
        let sellQuantity = l0.sell.quantity + l1.sell.quantity + l2.sell.quantity + l3.sell.quantity + l4.sell.quantity
        return (.init(l0.buy, l1.buy, l2.buy, l3.buy, l4.buy), .init(l0.sell, l1.sell, l2.sell, l3.sell, l4.sell),
                buyQuantity, sellQuantity)
    }

    /// The Philox blocks of a contract's depth at `second`: one block per level (counter word 2 =
    /// level, as `CounterRandom.words(key:index:lane:)`), levels 0–3 side by side.
    @inline(__always)
    func depthDraws(_ terms: QuoteTerms, second: Int) -> DepthDraws {
        depthDraws(key: terms.depthKey, second: second)
    }

    /// `depthDraws(_:second:)` for a contract whose depth key is `key`.
    @inline(__always)
    func depthDraws(key: SIMD2<UInt32>, second: Int) -> DepthDraws {
        let counter = UInt64(date.daysSinceEpoch) << 16 | UInt64(second)
        let (c0, c1) = (UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32))
        let (k0, k1) = (key.x, key.y)
        return DepthDraws(
            four: Philox4x32.blocks(c0, c1, SIMD4(0, 1, 2, 3), 0, key: k0, k1),
            fifth: Philox4x32.block(c0, c1, 4, 0, key: k0, k1))
    }

    /// The random parts of a contract's depth at one second, from which `depth` builds its levels.
    struct DepthDraws {
        var four: (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>)
        var fifth: (UInt32, UInt32, UInt32, UInt32)

        /// Level `level`'s sizes: a block's first word sizes the bid, its second the ask; lots in
        /// 1...196 (1 + 0–39 × (level + 1)), orders in 1...min(lots, 20).
        @inline(__always)
        func level(_ level: Int) -> (buyLots: Int64, buyOrders: Int64, sellLots: Int64, sellOrders: Int64) {
            let block = level < 4 ? (four.0[level], four.1[level], four.2[level], four.3[level]) : fifth
            let a = UInt64(block.0) | UInt64(block.1) << 32
            let b = UInt64(block.2) | UInt64(block.3) << 32
            let buyLots = 1 + Int64(a % 40) * Int64(level + 1)
            let sellLots = 1 + Int64(b % 40) * Int64(level + 1)
            return (buyLots, 1 + Market.remainder(a >> 32, min(buyLots, 20)),
                    sellLots, 1 + Market.remainder(b >> 32, min(sellLots, 20)))
        }
    }

    /// `word % divisor` for the low 32 bits of `word` and 1 ≤ `divisor` ≤ 20, by two multiplies
    /// instead of a division (Lemire, Kaser and Kurz, "Faster remainder by direct computation",
    /// 2019, theorem 1 with F = 40 ≥ 32 + 5 bits: for c = ⌈2⁴⁰ / d⌉ and every 32-bit `w`,
    /// `(c × w mod 2⁴⁰) × d / 2⁴⁰` is exactly `w % d`). The first product can exceed 64 bits
    /// (c × w reaches about 2⁷²), but only its low 40 bits are kept, which wrapping multiplication
    /// gives exactly; the second, below 2⁴⁰ × 20, fits. A depth draw takes ten remainders by
    /// divisors known only at run time. A divisor outside 1...20 traps.
    @inline(__always)
    static func remainder(_ word: UInt64, _ divisor: Int64) -> Int64 {
        precondition(divisor >= 1 && divisor <= 20, "a depth remainder's divisor is in 1...20")
        let d = Int(truncatingIfNeeded: divisor)
        let c = remainderMultiplier(d)
        let fraction = (c &* (word & 0xFFFF_FFFF)) & (1 << 40 &- 1)
        return Int64(truncatingIfNeeded: (fraction &* UInt64(truncatingIfNeeded: d)) &>> 40)
    }

    /// ⌈2⁴⁰ / d⌉, `remainder`'s multiplier, for `d` in 1...20 (0 otherwise): a switch the optimiser turns into a constant
    /// table, read without the global array's lazy-initialisation check and bounds check.
    @inline(__always)
    static func remainderMultiplier(_ d: Int) -> UInt64 {
        switch d {
        case 1: 1_099_511_627_776
        case 2: 549_755_813_888
        case 3: 366_503_875_926
        case 4: 274_877_906_944
        case 5: 219_902_325_556
        case 6: 183_251_937_963
        case 7: 157_073_089_683
        case 8: 137_438_953_472
        case 9: 122_167_958_642
        case 10: 109_951_162_778
        case 11: 99_955_602_526
        case 12: 91_625_968_982
        case 13: 84_577_817_522
        case 14: 78_536_544_842
        case 15: 73_300_775_186
        case 16: 68_719_476_736
        case 17: 64_677_154_576
        case 18: 61_083_979_321
        case 19: 57_869_033_041
        case 20: 54_975_581_389
        default: 0
        }
    }
}
