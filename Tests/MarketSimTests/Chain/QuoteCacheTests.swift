import Testing

@testable import MarketSim

/// The on-demand quote path with and without a `QuoteCache`, against the chain path's replay.
@Suite struct QuoteCacheTests {
    /// Options near and far from the money, a future and the spot index of one generated market.
    static func tokens(_ item: MarketCases.Case) throws -> [Int64] {
        let catalog = try item.market.catalog(item.index)
        let contracts = catalog.contracts
        var picked = stride(from: 0, to: contracts.count, by: max(1, contracts.count / 6)).map { contracts[$0].instrumentToken }
        let level = Double(try item.market.indexLevelPaise(index: item.index, second: 0))
        let nearest = contracts.filter { $0.right != nil }
            .min { abs(Double($0.strikePaise) - level) < abs(Double($1.strikePaise) - level) }!
        picked.append(nearest.instrumentToken)
        if let future = contracts.last(where: { $0.right == nil }) { picked.append(future.instrumentToken) }
        picked.append(try item.market.index(named: item.index).spotToken)
        return picked
    }

    /// (token, second) questions in a seeded shuffled order, each asked twice.
    static func shuffled(_ questions: [(Int64, Int)], seed: UInt64) -> [(Int64, Int)] {
        let random = CounterRandom(seed: seed)
        var keyed = (questions + questions).enumerated().map { ($0.element, random.words(stream: 9, index: UInt64($0.offset)).0) }
        keyed.sort { $0.1 < $1.1 }
        return keyed.map(\.0)
    }

    @Test("12 generated markets: quotes through one cache asked in time order, in a shuffled order (back in time too) and twice equal the uncached quotes")
    func cacheNeverChangesAnswers() throws {
        var compared = 0
        for item in MarketCases.pool {
            let market = item.market
            let seconds = Array(Set(item.seconds.prefix(6) + [1, 59, 60, 61])).sorted()
            let tokens = try Self.tokens(item)
            var expected: [Int64: [Int: MarketQuote]] = [:]
            for token in tokens {
                for second in seconds {
                    let time = market.spec.calendar.time(market.date, secondOfSession: second)
                    let quote = try #require(market.quote(token: token, at: time))
                    expected[token, default: [:]][second] = quote
                }
            }
            let inOrder = QuoteCache(market: market)
            for second in seconds {
                let time = market.spec.calendar.time(market.date, secondOfSession: second)
                for token in tokens {
                    #expect(market.quote(token: token, at: time, cache: inOrder) == expected[token]![second]!,
                            "seed \(item.seed) token \(token) second \(second) in order")
                    compared += 1
                }
            }
            let anyOrder = QuoteCache(market: market)
            for (token, second) in Self.shuffled(tokens.flatMap { t in seconds.map { (t, $0) } }, seed: item.seed) {
                let time = market.spec.calendar.time(market.date, secondOfSession: second)
                #expect(market.quote(token: token, at: time, cache: anyOrder) == expected[token]![second]!,
                        "seed \(item.seed) token \(token) second \(second) shuffled")
                compared += 1
            }
        }
        #expect(compared >= 2_000)
    }

    @Test("12 generated markets: a cached quote's volume, OI, last trade and best bid/ask match the chain path's replay and slice")
    func cacheMatchesChainPath() throws {
        for item in MarketCases.pool {
            let market = item.market
            let cache = QuoteCache(market: market)
            let catalog = try market.catalog(item.index)
            let contracts = try Self.tokens(item).compactMap { market.contract(token: $0) }
            for second in item.seconds.prefix(8).sorted() {
                let time = market.spec.calendar.time(market.date, secondOfSession: second)
                for contract in contracts {
                    let quote = try #require(market.quote(token: contract.instrumentToken, at: time, cache: cache))
                    let tape = try #require(market.tradeTape(contract, through: second))
                    #expect(quote.volume == tape.volume && quote.openInterest == tape.openInterest)
                    #expect(quote.openInterestDayHigh == tape.openInterestHigh && quote.openInterestDayLow == tape.openInterestLow)
                    #expect(quote.lastTradeTime == tape.lastSecond.map { market.spec.calendar.time(market.date, secondOfSession: $0) })
                    if let last = tape.lastPriceTicks { #expect(quote.lastPricePaise == last * QuoteRule.tickPaise) }
                    let slice = try market.slice(index: item.index, expiry: contract.expiry, second: second)
                    let expected = contract.right.map { Market.quote(strikePaise: contract.strikePaise, right: $0, slice: slice) }
                        ?? Market.futureQuote(slice)
                    #expect(quote.sellDepth[0].pricePaise == expected.ask * QuoteRule.tickPaise)
                    #expect(quote.buyDepth[0].pricePaise == (expected.bid > 0 ? expected.bid * QuoteRule.tickPaise : 0))
                    #expect(quote.buyDepth.count == 5 && quote.sellDepth.count == 5)
                }
            }
            #expect(catalog.contracts.count == market.quoteTerms.count)
        }
    }

    @Test("an index quote's high and low are the extremes of the path from the open to that second")
    func indexHighLow() throws {
        for item in MarketCases.pool.prefix(4) {
            let market = item.market
            let path = market.paths[try market.index(named: item.index).number]!
            for second in item.seconds {
                let levels = path.level[0...second]
                #expect(path.highSoFar[second] == levels.max()! && path.lowSoFar[second] == levels.min()!)
            }
        }
    }

    @Test("the token table finds every contract's id and nothing else")
    func tokenTable() throws {
        for item in MarketCases.pool.prefix(4) {
            let market = item.market
            for (id, terms) in market.quoteTerms.enumerated() {
                #expect(market.contractIDs[terms.token] == id)
                #expect(market.contractIDs[terms.token + 1] == nil || market.quoteTerms[market.contractIDs[terms.token + 1]!].token == terms.token + 1)
            }
            #expect(market.contractIDs[0] == nil && market.contractIDs[-5] == nil && market.contractIDs[Int64.min] == nil)
            #expect(market.contractIDs[try market.index(named: item.index).spotToken] == nil)
        }
        let random = CounterRandom(seed: 11)
        let tokens = Array(Set((0..<3_000).map { Int64(random.words(stream: 1, index: UInt64($0)).0 >> 34) + 1 }))
        let table = TokenTable(tokens)
        for (id, token) in tokens.enumerated() { #expect(table[token] == id) }
        let repeated = TokenTable([5, 9, 5, 7, 9])
        #expect(repeated[5] == 2 && repeated[9] == 4 && repeated[7] == 3 && repeated[6] == nil)
    }
}
