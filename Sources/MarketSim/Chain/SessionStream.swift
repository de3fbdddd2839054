/// The session played forward second by second for a fixed set of strikes: quotes, trades, tapes.
///
/// This is the fast path for a whole day (benchmarks, and Chaos driving the market in virtual
/// time): at each second it builds every (index, expiry) slice once, prices each strike once for
/// both rights, and applies the trades that fall in that second against the quotes just computed.
/// It produces exactly what `Market.chain`/`quote` compute on demand (a test checks this); it only
/// shares the work between contracts and seconds.
///
/// ```swift
/// var stream = try SessionStream(market: market, index: "NIFTY", expiries: 4, strikesEachSide: 20)
/// for second in 0...market.sessionSeconds { stream.advance(to: second) /* read stream.bids … */ }
/// ```
public struct SessionStream {
    /// One (index, expiry) group: its slice cache and its strikes, in rupees and as logs.
    struct Group {
        var index: IndexSpec
        var expiry: TradingDate
        var strikes: [Double]
        var logStrikes: [Double]
        var firstContract: Int
    }

    public let market: Market
    /// Contracts in stream order: per group, per strike, CE then PE.
    public private(set) var contracts: [Contract] = []
    /// Latest bid and ask of each contract, in ticks, aligned with `contracts`.
    public private(set) var bids: [Int64] = []
    public private(set) var asks: [Int64] = []
    /// Each contract's trade tape so far.
    public private(set) var tapes: [TradeTape] = []
    /// The last second advanced to (−1 before the first).
    public private(set) var second = -1
    /// Quotes computed so far (two per strike per second).
    public private(set) var quoteEvaluations = 0

    var groups: [Group] = []
    var caches: [SliceCache] = []
    /// Trades of the current minute: (second, contract, draw), in the order they apply.
    var pending: [(second: Int, order: Int, contract: Int, draw: TradeTape.Draw)] = []
    var pendingNext = 0

    /// A stream over `indices`' first `expiries` expiries, `strikesEachSide` strikes around the ATM
    /// strike at the open (the listed strikes nearest the opening level).
    public init(market: Market, indices: [String], expiries: Int, strikesEachSide: Int) throws(MarketError) {
        self.market = market
        for name in indices {
            let index = try market.index(named: name)
            let catalog = try market.catalog(name)
            let cache = SliceCache(market: market, index: index)
            caches.append(cache)
            let open = Double(try market.indexLevelPaise(index: name, second: 0))
            for entry in catalog.expiries.prefix(expiries) {
                let nearest = entry.strikes.sorted { abs(Double($0) - open) < abs(Double($1) - open) }
                let chosen = nearest.prefix(2 * strikesEachSide + 1).sorted()
                let byStrike = Dictionary(
                    uniqueKeysWithValues: catalog.contracts.filter { $0.expiry == entry.listing.date && $0.right == .call }
                        .map { ($0.strikePaise, $0) })
                let puts = Dictionary(
                    uniqueKeysWithValues: catalog.contracts.filter { $0.expiry == entry.listing.date && $0.right == .put }
                        .map { ($0.strikePaise, $0) })
                groups.append(
                    Group(index: index, expiry: entry.listing.date, strikes: chosen.map { Double($0) / 100 },
                          logStrikes: chosen.map { KernelMath.log(Double($0) / 100) }, firstContract: contracts.count))
                for strike in chosen {
                    contracts.append(byStrike[strike]!)
                    contracts.append(puts[strike]!)
                }
            }
        }
        bids = [Int64](repeating: 0, count: contracts.count)
        asks = bids
        for contract in contracts {
            let cache = cacheFor(contract)
            let opening = cache.slice(expiry: contract.expiry, second: 0)
            tapes.append(TradeTape(openInterest: market.openInterestAtOpen(contract, index: cache.index, slice: opening)))
        }
    }

    func cacheFor(_ contract: Contract) -> SliceCache {
        caches.first { $0.index.number == contract.indexNumber }!
    }

    /// Moves to `target` (≥ the current second): quotes at each second, then that second's trades.
    public mutating func advance(to target: Int) {
        precondition(target > second && target <= market.sessionSeconds, "advance to \(target) from \(second)")
        while second < target {
            second += 1
            step(second)
        }
    }

    mutating func step(_ s: Int) {
        // A halted second changes nothing: quotes stay, and no trade is drawn inside a halt. The
        // minute's draws are still loaded at its first second, for the seconds after a mid-minute resume.
        if !market.halts.isEmpty, market.halt(at: s) != nil {
            if s % 60 == 0, s < market.sessionSeconds { drawMinute(s / 60) }
            return
        }
        // Underlying → surface → quotes.
        for group in groups {
            let cache = caches.first { $0.index.number == group.index.number }!
            let slice = s % 60 == 0 ? cache.slice(expiry: group.expiry, second: s)
                : ExpirySlice(market: market, index: group.index, path: market.paths[group.index.number]!,
                              expiry: group.expiry, second: s)
            var c = group.firstContract
            for i in 0..<group.strikes.count {
                let q = slice.quotes(strike: group.strikes[i], logStrike: group.logStrikes[i])
                bids[c] = q.call.bid
                asks[c] = q.call.ask
                bids[c + 1] = q.put.bid
                asks[c + 1] = q.put.ask
                c += 2
            }
        }
        quoteEvaluations += contracts.count
        // Trades, then open interest (inside the tape).
        guard s < market.sessionSeconds else { return }
        if s % 60 == 0 { drawMinute(s / 60) }
        while pendingNext < pending.count, pending[pendingNext].second == s {
            let trade = pending[pendingNext]
            tapes[trade.contract].apply(
                trade.draw, quote: (bids[trade.contract], asks[trade.contract]), lotSize: contracts[trade.contract].lotSize)
            pendingNext += 1
        }
    }

    mutating func drawMinute(_ minute: Int) {
        pending.removeAll(keepingCapacity: true)
        pendingNext = 0
        for (position, contract) in contracts.enumerated() {
            let cache = cacheFor(contract)
            let stream = CounterRandom.stream(RandomStreams.trades, UInt64(contract.instrumentToken))
            let draws = TradeTape.trades(
                random: market.random, stream: stream, day: market.date, minute: minute,
                lambda: market.tradeIntensity(contract, minute: minute, cache: cache),
                sessionSeconds: market.sessionSeconds, halts: market.halts)
            for draw in draws { pending.append((draw.second, pending.count, position, draw)) }
        }
        // By second; within a second by contract, then each contract's own draw order.
        pending.sort { ($0.second, $0.order) < ($1.second, $1.order) }
    }
}
