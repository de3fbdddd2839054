/// Per-contract constants of the on-demand quote path, computed once per market.
///
/// `Market.quote` answers a single token in a few microseconds only if nothing per contract is
/// recomputed per call: the strike's logarithm, the Philox keys of the contract's trade and depth
/// streams, and which (index, expiry) group it prices in. Plain values, no strings, so the hot
/// path copies no reference-counted fields. Every value is what the chain path computes from the
/// `Contract` itself (same expressions, same bits).
struct QuoteTerms: Sendable {
    var token: Int64
    /// Position in `Market.quoteGroups`.
    var group: Int
    /// The option right; nil for a future.
    var right: OptionRight?
    var strikePaise: Int64
    /// Strike in rupees and `KernelMath.log` of it.
    var strike: Double
    var logStrike: Double
    var lotSize: Int64
    /// Philox keys of the contract's trade stream and depth stream.
    var tradesKey: SIMD2<UInt32>
    var depthKey: SIMD2<UInt32>
    /// Position of the contract in its index's `ContractCatalog.contracts`.
    var catalogPosition: Int
}

/// One (index, expiry) of a market: the unit that shares a pricing slice at each second.
struct QuoteGroup: Sendable {
    var indexNumber: Int
    /// Position of the index in `Market.indices`, and of the expiry in its catalog's `expiries`.
    var indexOrdinal: Int
    var expiryPosition: Int
    var expiry: TradingDate
    /// Trades per minute × expiry weight at the open: the minute-independent factor of intensity.
    var intensityScale: Double
}

extension Market {
    /// Groups and per-contract terms for every contract of the simulated indices, ids in catalog order.
    static func quoteTables(
        indices: [IndexSpec], catalogs: [ContractCatalog?], minuteSlices: [[[ExpirySlice]]], random: CounterRandom
    ) -> (groups: [QuoteGroup], terms: [QuoteTerms]) {
        var groups: [QuoteGroup] = []
        var terms: [QuoteTerms] = []
        for (ordinal, index) in indices.enumerated() {
            let catalog = catalogs[index.number]!
            let base = groups.count
            var positions: [TradingDate: Int] = [:]
            for (position, entry) in catalog.expiries.enumerated() {
                positions[entry.listing.date] = position
                let opening = minuteSlices[index.number][position][0]
                groups.append(
                    QuoteGroup(
                        indexNumber: index.number, indexOrdinal: ordinal, expiryPosition: position,
                        expiry: entry.listing.date,
                        intensityScale: index.model.tradesPerMinute * Market.expiryWeight(tau: opening.tau)))
            }
            for (position, contract) in catalog.contracts.enumerated() {
                let expiryPosition = positions[contract.expiry]!
                let strike = Double(contract.strikePaise) / 100
                let token = UInt64(contract.instrumentToken)
                terms.append(
                    QuoteTerms(
                        token: contract.instrumentToken, group: base + expiryPosition, right: contract.right,
                        strikePaise: contract.strikePaise, strike: strike, logStrike: KernelMath.log(strike),
                        lotSize: contract.lotSize,
                        tradesKey: random.key(stream: CounterRandom.stream(RandomStreams.trades, token)),
                        depthKey: random.key(stream: CounterRandom.stream(RandomStreams.depth, token)),
                        catalogPosition: position))
            }
        }
        return (groups, terms)
    }

    /// The pricing slice of group `g` at second `s` (what `slice(_:expiry:second:)` computes).
    func groupSlice(_ g: Int, second s: Int) -> ExpirySlice {
        let group = quoteGroups[g]
        return ExpirySlice(
            market: self, index: indices[group.indexOrdinal], path: paths[group.indexNumber]!, expiry: group.expiry,
            second: s)
    }

    /// The group's slice at a minute's first second, from the table built with the market.
    func minuteSlice(_ g: Int, minute: Int) -> ExpirySlice {
        let group = quoteGroups[g]
        return minuteSlices[group.indexNumber][group.expiryPosition][minute]
    }

    /// The (bid, ask) in ticks of a contract given its group's slice: options from Black-76, futures around the forward.
    func quote(_ terms: QuoteTerms, slice: ExpirySlice) -> (bid: Int64, ask: Int64) {
        guard let right = terms.right else { return Market.futureQuote(slice) }
        let quotes = slice.quotes(strike: terms.strike, logStrike: terms.logStrike)
        return right == .call ? quotes.call : quotes.put
    }

    /// Expected trades of a contract in `minute` (as `tradeIntensity(_:minute:cache:)`).
    func tradeIntensity(_ terms: QuoteTerms, minute: Int) -> Double {
        let s = minute * 60
        return quoteGroups[terms.group].intensityScale
            * IntradaySeasonality.activity((Double(s) + 30) / Double(sessionSeconds))
            * Market.moneynessWeight(right: terms.right, logStrike: terms.logStrike, slice: minuteSlice(terms.group, minute: minute))
    }

    /// A cursor at the open for contract `id`: opening open interest, no trades, and the opening mid.
    func openingCursor(_ id: Int) -> TapeCursor {
        let terms = quoteTerms[id]
        let group = quoteGroups[terms.group]
        let opening = minuteSlice(terms.group, minute: 0)
        let contract = catalogs[group.indexNumber]!.contracts[terms.catalogPosition]
        let openInterest = openInterestAtOpen(contract, index: indices[group.indexOrdinal], slice: opening)
        let openQuote = quote(terms, slice: opening)
        return TapeCursor(tape: TradeTape(openInterest: openInterest), openTicks: (openQuote.bid + openQuote.ask) / 2)
    }
}
