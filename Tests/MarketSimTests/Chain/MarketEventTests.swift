import Testing

@testable import MarketSim

@Suite struct MarketEventTests {
    @Test("200 generated instants: within a second events run underlying → surface → quotes → trades → OI, and (time, sequence) order is the emission order")
    func eventOrder() throws {
        var cases = 0
        for item in MarketCases.pool {
            var stream: [MarketEvent] = []
            // Early seconds keep each trade replay short; the order rule does not depend on the second.
            for j in 0..<17 {
                let second = 60 * j + Int(item.seed % 60)
                let events = try item.market.events(index: item.index, second: second)
                cases += 1
                #expect(events.first?.kind == .underlying)
                #expect(zip(events, events.dropFirst()).allSatisfy { $0.kind <= $1.kind && $0.sequence < $1.sequence })
                stream += events
            }
            let sorted = stream.sorted {
                ($0.time.nanosecondsSinceEpoch, $0.sequence) < ($1.time.nanosecondsSinceEpoch, $1.sequence)
            }
            #expect(sorted == stream)
        }
        #expect(cases >= 200)
    }

    @Test("across indices one second's events are ordered by kind first, with one increasing sequence")
    func allIndices() throws {
        let market = try Market(seed: 2, date: TradingDate(year: 2025, month: 3, day: 4), indices: ["NIFTY", "SENSEX"])
        for second in [0, 61, 300] {
            let events = try market.events(second: second)
            #expect(events.filter { $0.kind == .underlying }.count == 2)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.kind <= $1.kind && $0.sequence < $1.sequence })
            let single = try market.events(index: "NIFTY", second: second) + market.events(index: "SENSEX", second: second)
            #expect(single.count == events.count)
        }
    }

    @Test("on expiry day the close emits one settlement per expiring series at the index close, after everything else")
    func settlementAtClose() throws {
        let market = try Market(seed: 8, date: TradingDate(year: 2026, month: 11, day: 23), indices: ["NIFTY"])
        let events = try market.events(index: "NIFTY", second: market.sessionSeconds)
        let settlements = events.filter { $0.kind == .settlement }
        #expect(settlements.count == 1)
        #expect(events.last?.kind == .settlement)
        #expect(settlements.first?.value == (try market.indexLevelPaise(index: "NIFTY", second: market.sessionSeconds)))
    }
}
