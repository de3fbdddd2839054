import Testing

@testable import Platform

/// Token assignment over ticker connections, and the tick book's freshness and ordering rules.
@Suite struct TickerConnectionsTests {
    @Test("tokens fill the first connection with room, stay put while wanted, and the excess is the shortfall")
    func assignment() {
        var connections = TickerConnections(connectionsMax: 3, tokensPerConnection: 4)
        #expect(connections.assign([9, 1, 5, 3, 7]).isEmpty)
        #expect(connections.assigned == [[1, 3, 5, 7], [9], []])
        // 3 and 9 leave the window; 2, 4, 6, 8 and 10…15 enter: the old tokens keep their connections.
        let shortfall = connections.assign([1, 5, 7, 2, 4, 6, 8, 10, 11, 12, 13, 14, 15])
        #expect(connections.assigned == [[1, 2, 5, 7], [4, 6, 8, 10], [11, 12, 13, 14]])
        #expect(shortfall == [15] && connections.shortfall == [15])
        connections.checkInvariants()
        let none = connections.assign([])
        #expect(none.isEmpty && connections.assigned == [[], [], []])
    }

    @Test("random wanted sets never put a token on two connections or overfill one", arguments: [1, 2, 3] as [UInt64])
    func randomAssignments(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var connections = TickerConnections(connectionsMax: 3, tokensPerConnection: 50)
        for _ in 0..<200 {
            let wanted = Array(Set((0..<Int(random.next() % 200)).map { _ in UInt32(random.next() % 400) }))
            let shortfall = connections.assign(wanted)
            connections.checkInvariants()
            let placed = connections.assigned.flatMap { $0 }
            #expect(Set(placed + shortfall) == Set(wanted), "seed \(seed)")
            #expect(shortfall.count == max(0, wanted.count - 150), "seed \(seed)")
        }
    }

    @Test("the book keeps the newest tick by exchange time, expires old ones and forgets a dropped connection")
    func tickBook() {
        func tick(_ token: UInt32, second: Int64) -> BrokerTick {
            var tick = BrokerTick(instrumentToken: token, mode: .full, tradable: true)
            tick.exchangeTime = Instant(secondsSinceEpoch: second)
            return tick
        }
        let now = Instant(secondsSinceEpoch: 1_000)
        var book = TickBook()
        let first = book.record(tick(1, second: 999), connection: 0, at: now)
        let late = book.record(tick(1, second: 998), connection: 0, at: now)
        let other = book.record(tick(2, second: 999), connection: 1, at: now)
        #expect(first && other)
        #expect(!late, "a late frame must not move a token back")
        #expect(book.fresh(1, at: now + .seconds(2), maxAge: .seconds(2))?.exchangeTime == Instant(secondsSinceEpoch: 999))
        #expect(book.fresh(1, at: now + .seconds(3), maxAge: .seconds(2)) == nil)
        book.drop(connection: 0)
        #expect(book.fresh(1, at: now, maxAge: .seconds(2)) == nil && book.fresh(2, at: now, maxAge: .seconds(2)) != nil)
        book.drop(tokens: [2])
        #expect(book.count == 0)
    }
}
