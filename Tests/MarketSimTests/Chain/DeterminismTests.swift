import Testing

@testable import MarketSim

@Suite struct DeterminismTests {
    @Test("200 generated (market, instant) cases: quotes are identical whatever was asked before, in any order, from a fresh market")
    func orderIndependence() throws {
        var cases = 0
        for item in MarketCases.pool {
            let fresh = try Market(seed: item.seed, date: item.market.date, indices: [item.index])
            let catalog = try item.market.catalog(item.index)
            // A deep in-the-money call, a contract further up the chain, and the index itself.
            let tokens = [catalog.contracts[0].instrumentToken, catalog.contracts[catalog.contracts.count / 5].instrumentToken]
                + [try item.market.index(named: item.index).spotToken]
            for second in item.seconds {
                cases += 1
                let time = item.market.spec.calendar.time(item.market.date, secondOfSession: second)
                let forward = tokens.map { item.market.quote(token: $0, at: time) }
                let backward = Array(tokens.reversed().map { fresh.quote(token: $0, at: time) }.reversed())
                #expect(forward == backward, "seed \(item.seed) \(item.index) \(time)")
                #expect(forward.allSatisfy { $0 != nil })
            }
        }
        #expect(cases >= 200)
    }

    @Test("the same seed gives the same chain and a different seed a different one")
    func seedsMatter() throws {
        for item in MarketCases.pool.prefix(3) {
            let time = item.market.spec.calendar.time(item.market.date, secondOfSession: item.seconds[2])
            let again = try Market(seed: item.seed, date: item.market.date, indices: [item.index])
            let other = try Market(seed: item.seed &+ 1, date: item.market.date, indices: [item.index])
            let first = try item.market.chain(index: item.index, at: time, trades: false)
            #expect(try again.chain(index: item.index, at: time, trades: false) == first)
            #expect(try other.chain(index: item.index, at: time, trades: false) != first)
        }
    }

    @Test("simulating several indices together gives each index the same path as simulating it alone")
    func indexSelectionIndependence() throws {
        let date = TradingDate(year: 2025, month: 7, day: 15)
        let names = ["NIFTY", "BANKNIFTY", "SENSEX"]
        let together = try Market(seed: 4, date: date, indices: names)
        for name in names {
            let alone = try Market(seed: 4, date: date, indices: [name])
            for second in [0, 1_000, 22_500] {
                #expect(try alone.indexLevelPaise(index: name, second: second)
                    == together.indexLevelPaise(index: name, second: second))
            }
        }
    }
}
