import Testing

@testable import MarketSim

/// Trades, volume and open interest over 200 generated contract cases (12 markets × 17 contracts).
@Suite struct TradeTapeTests {
    /// Seventeen contracts per market: the six nearest the money of the first expiry, then spread out.
    static func contracts(_ market: Market, _ index: String) -> [Contract] {
        let catalog = try! market.catalog(index)
        let first = catalog.contracts.filter { $0.expiry == catalog.expiries[0].listing.date && $0.right != nil }
        let level = Double(try! market.indexLevelPaise(index: index, second: 0))
        let nearest = first.sorted { abs(Double($0.strikePaise) - level) < abs(Double($1.strikePaise) - level) }
        let others = catalog.contracts.enumerated().filter { $0.offset % 23 == 5 }.map(\.element)
        return Array((Array(nearest.prefix(6)) + others).prefix(17))
    }

    @Test("200 generated contracts: volume never decreases through the session, OI stays ≥ 0 and on the lot, |ΔOI| ≤ Δvolume")
    func volumeAndOpenInterest() {
        var cases = 0
        for item in MarketCases.pool {
            let market = item.market
            let checkpoints = [0, 7_200, market.sessionSeconds]
            let cache = SliceCache(market: market, index: try! market.index(named: item.index))
            for contract in Self.contracts(market, item.index) {
                cases += 1
                var previous: TradeTape?
                for second in checkpoints {
                    let tape = market.tradeTape(contract, through: second, cache: cache)
                    #expect(tape.volume >= 0 && tape.volume % contract.lotSize == 0)
                    #expect(tape.openInterest >= 0 && tape.openInterest % contract.lotSize == 0, "\(contract.tradingsymbol)")
                    #expect(tape.openInterestLow <= tape.openInterest && tape.openInterest <= tape.openInterestHigh)
                    if let previous {
                        #expect(tape.volume >= previous.volume, "\(contract.tradingsymbol) at \(second)")
                        #expect(abs(tape.openInterest - previous.openInterest) <= tape.volume - previous.volume)
                        #expect(tape.tradeCount >= previous.tradeCount)
                    }
                    previous = tape
                }
            }
        }
        #expect(cases >= 200)
    }

    @Test("200 generated contracts: the last trade's price lies within the quote in force at its second, and its quantity is whole lots")
    func tradesWithinQuotes() throws {
        var traded = 0
        for item in MarketCases.pool {
            let market = item.market
            let cache = SliceCache(market: market, index: try market.index(named: item.index))
            for contract in Self.contracts(market, item.index) {
                let tape = market.tradeTape(contract, through: item.seconds[2], cache: cache)
                guard let second = tape.lastSecond, let price = tape.lastPriceTicks else { continue }
                traded += 1
                let slice = try market.slice(index: item.index, expiry: contract.expiry, second: second)
                let quote = contract.right.map { Market.quote(strikePaise: contract.strikePaise, right: $0, slice: slice) }
                    ?? Market.futureQuote(slice)
                #expect(quote.bid <= price && price <= quote.ask, "\(contract.tradingsymbol) at \(second)")
                #expect(tape.lastQuantity > 0 && tape.lastQuantity % contract.lotSize == 0)
            }
        }
        #expect(traded >= 100)
    }

    @Test("open interest clusters at round strikes: multiples of 10 steps hold more OI than their neighbours on average")
    func roundStrikeClustering() throws {
        var roundTotal = 0.0
        var roundCount = 0.0
        var otherTotal = 0.0
        var otherCount = 0.0
        for item in MarketCases.pool.prefix(10) {
            let chain = try item.market.chain(index: item.index, at: item.market.open, trades: false)
            let step = try item.market.index(named: item.index).strikeStepPaise
            for row in chain.expiries[0].rows {
                let isRound = row.contract.strikePaise % (10 * step) == 0
                let isNeighbour = (row.contract.strikePaise + step) % (10 * step) == 0
                    || (row.contract.strikePaise - step) % (10 * step) == 0
                if isRound { roundTotal += Double(row.openInterest); roundCount += 1 }
                if isNeighbour { otherTotal += Double(row.openInterest); otherCount += 1 }
            }
        }
        #expect(roundTotal / roundCount > 1.5 * otherTotal / otherCount)
    }
}
