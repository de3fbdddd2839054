/// Chains, trades and open interest of the session's options, derived on demand.
extension Market {
    /// The chain of `index` at `time` (all listed expiries, or only `expiry`), in event order:
    /// underlying → surface → quotes → trades → open interest. With `trades: false` the rows carry
    /// quotes and ground truth only (LTP is the opening model price, volume 0, OI the opening OI),
    /// which skips replaying the day's trades.
    public func chain(index name: String, expiry: TradingDate? = nil, at time: MarketTime, trades: Bool = true)
        throws(MarketError) -> OptionChain
    {
        let index = try index(named: name)
        let catalog = catalogs[index.number]!
        let second = try secondOfSession(time)
        var selected = catalog.expiries
        if let expiry {
            selected = selected.filter { $0.listing.date == expiry }
            guard !selected.isEmpty else {
                throw .unknownExpiry(expiry, index: name, listed: catalog.expiries.map(\.listing.date))
            }
        }
        let optionsByExpiry = Dictionary(grouping: catalog.contracts.filter { $0.right != nil }, by: \.expiry)
        let cache = SliceCache(market: self, index: index)
        var expiries: [ChainExpiry] = []
        for entry in selected {
            let slice = cache.slice(expiry: entry.listing.date, second: second)
            var rows: [ChainRow] = []
            for contract in optionsByExpiry[entry.listing.date] ?? [] {
                rows.append(row(contract, slice: slice, second: second, cache: cache, trades: trades))
            }
            expiries.append(
                ChainExpiry(
                    listing: entry.listing, futurePaise: slice.futurePaise, forward: slice.forward,
                    discount: slice.discount, tau: slice.tau, theta: slice.theta, rho: slice.surface.rho,
                    eta: slice.surface.eta, rows: rows))
        }
        return OptionChain(
            index: name, time: spec.calendar.time(date, secondOfSession: second), secondOfSession: second,
            underlyingPaise: Int64((paths[index.number]!.level[second] * 100).rounded()), expiries: expiries)
    }

    /// The (bid, ask) in ticks of an option given its expiry's slice.
    static func quote(strikePaise: Int64, right: OptionRight, slice: ExpirySlice) -> (bid: Int64, ask: Int64) {
        let strike = Double(strikePaise) / 100
        let quotes = slice.quotes(strike: strike, logStrike: KernelMath.log(strike))
        return right == .call ? quotes.call : quotes.put
    }

    func row(_ contract: Contract, slice: ExpirySlice, second: Int, cache: SliceCache, trades: Bool) -> ChainRow {
        let right = contract.right!
        let priced = slice.price(strikePaise: contract.strikePaise)
        let price = right == .call ? priced.call : priced.put
        let quote = Market.quote(strikePaise: contract.strikePaise, right: right, slice: slice)
        let tape = tradeTape(contract, through: trades ? second : -1, cache: cache)
        let opening = cache.slice(expiry: contract.expiry, second: 0).price(strikePaise: contract.strikePaise)
        let fallback = Int64(((right == .call ? opening.call : opening.put) / QuoteRule.tick).rounded())
        return ChainRow(
            contract: contract, bidTicks: quote.bid, askTicks: quote.ask,
            lastPriceTicks: tape.lastPriceTicks ?? max(fallback, 1), lastQuantity: tape.lastQuantity,
            lastTradeSecond: tape.lastSecond, averagePriceTicks: tape.averagePriceTicks, volume: tape.volume,
            openInterest: tape.openInterest, openInterestHigh: tape.openInterestHigh,
            openInterestLow: tape.openInterestLow, modelPrice: price, trueIV: priced.iv)
    }

    /// The contract's trade tape (volume, last trade, OI) after every trade up to `second`.
    public func tradeTape(_ contract: Contract, through second: Int) -> TradeTape? {
        guard let index = indices.first(where: { $0.number == contract.indexNumber }) else { return nil }
        return tradeTape(contract, through: second, cache: SliceCache(market: self, index: index))
    }

    /// The tape by replaying from the open, sharing slices through `cache` (the chain path; the quote
    /// path walks `TapeCursor`s instead, and a test checks that the two agree).
    func tradeTape(_ contract: Contract, through second: Int, cache: SliceCache) -> TradeTape {
        let index = cache.index
        let stream = CounterRandom.stream(RandomStreams.trades, UInt64(contract.instrumentToken))
        let opening = cache.slice(expiry: contract.expiry, second: 0)
        let oi = openInterestAtOpen(contract, index: index, slice: opening)
        let tape = TradeTape.replay(
            random: random, stream: stream, day: date, lotSize: contract.lotSize, openInterest: oi, through: second,
            sessionSeconds: sessionSeconds, halts: halts,
            intensity: { minute in self.tradeIntensity(contract, minute: minute, cache: cache) },
            quoteAt: { s in
                let slice = cache.slice(expiry: contract.expiry, second: s)
                if let right = contract.right { return Market.quote(strikePaise: contract.strikePaise, right: right, slice: slice) }
                return Market.futureQuote(slice)
            })
        return tape
    }

    /// Expected trades of `contract` in `minute`, from the state at the minute's first second.
    func tradeIntensity(_ contract: Contract, minute: Int, cache: SliceCache) -> Double {
        let s = minute * 60
        let slice = cache.slice(expiry: contract.expiry, second: s)
        let opening = cache.slice(expiry: contract.expiry, second: 0)
        return cache.index.model.tradesPerMinute * Market.expiryWeight(tau: opening.tau)
            * IntradaySeasonality.activity((Double(s) + 30) / Double(sessionSeconds))
            * Market.moneynessWeight(contract, slice: slice)
    }

    /// Activity falls with distance from the money (in standard deviations); in-the-money options trade less.
    static func moneynessWeight(_ contract: Contract, slice: ExpirySlice) -> Double {
        moneynessWeight(right: contract.right, logStrike: KernelMath.log(Double(contract.strikePaise) / 100), slice: slice)
    }

    /// `moneynessWeight(_:slice:)` for a caller holding the right (nil for a future) and the log strike.
    static func moneynessWeight(right: OptionRight?, logStrike: Double, slice: ExpirySlice) -> Double {
        guard let right else { return 3 }
        let z = slice.moneynessSD(logStrike: logStrike)
        let outOfTheMoney = (right == .call) == (z >= 0)
        return KernelMath.exp(-0.5 * z * z / 2.56) * (outOfTheMoney ? 1 : 0.3)
    }

    /// Near expiries trade more: e^{−days/10} + 0.08.
    static func expiryWeight(tau: Double) -> Double {
        KernelMath.exp(-tau * 365 / 10) + 0.08
    }

    /// The futures quote: one tick either side of the forward on the tick (two ticks near the close).
    static func futureQuote(_ slice: ExpirySlice) -> (bid: Int64, ask: Int64) {
        let mid = slice.futurePaise / QuoteRule.tickPaise
        let half: Int64 = slice.spreadMultiplier > 1.6 ? 2 : 1
        return (mid - half, mid + half)
    }

    /// Open interest at the open: a daily draw, peaking out of the money, clustered at round strikes.
    func openInterestAtOpen(_ contract: Contract, index: IndexSpec, slice: ExpirySlice) -> Int64 {
        let stream = CounterRandom.stream(RandomStreams.openInterest, UInt64(contract.instrumentToken))
        let noise = random.normal(stream: stream, index: UInt64(date.daysSinceEpoch))
        var shape = 3.0
        if let right = contract.right {
            let z = slice.moneynessSD(strikePaise: contract.strikePaise)
            let outOfTheMoney = (right == .call) == (z >= 0)
            // Writers concentrate about one standard deviation out of the money.
            let distance = outOfTheMoney ? abs(z) - 1 : abs(z) + 0.5
            shape = PortableMath.exp(-0.5 * distance * distance / 1.5) * (outOfTheMoney ? 1 : 0.4)
        }
        let step = index.strikeStepPaise
        var cluster = 1.0
        if contract.strikePaise % (step * 10) == 0 { cluster = 2.6 } else if contract.strikePaise % (step * 2) == 0 { cluster = 1.5 }
        let lots = 4_000 * index.model.tradesPerMinute * Market.expiryWeight(tau: slice.tau) * shape * cluster
            * PortableMath.exp(0.35 * noise - 0.06)
        return Int64(lots.rounded()) * contract.lotSize
    }
}
