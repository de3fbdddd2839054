import Testing

@testable import MarketSim

/// SEBI's market-wide circuit breaker: the halt table by limit and time of day, and a halted market
/// that answers every question as at its last traded second, with no trade inside the halt.
@Suite struct MarketHaltTests {
    static let spec = MarketSpec.standard
    static let date = TradingDate(year: 2026, month: 11, day: 25)
    static let open = spec.calendar.openSecond
    static let n = spec.calendar.sessionSeconds

    /// A flat path at 100 (previous close 100) that moves to `level` from `second` on.
    static func path(_ index: String = "NIFTY", steps: [(second: Int, level: Double)]) -> (index: String, level: [Double], previousClose: Double) {
        var level = [Double](repeating: 100, count: n + 1)
        for step in steps { for s in step.second...n { level[s] = step.level } }
        return (index, level, 100)
    }

    static func second(_ hour: Int, _ minute: Int) -> Int { hour * 3600 + minute * 60 - open }

    @Test("the NSE table: 10% halts 45+15 min before 13:00, 15+15 min to 14:30, not after; 15% halts 1h45+15, 45+15, then the day; 20% the day",
          arguments: [
              (10, 10, 0, 3600), (10, 12, 59, 3600), (10, 13, 0, 1800), (10, 14, 29, 1800), (10, 14, 30, nil),
              (15, 9, 30, 7200), (15, 13, 0, 3600), (15, 13, 59, 3600), (15, 14, 0, -1), (20, 9, 20, -1), (20, 15, 0, -1),
          ] as [(Int, Int, Int, Int?)])
    func table(limit: Int, hour: Int, minute: Int, frozen: Int?) {
        let s = Self.second(hour, minute)
        let halts = MarketHalt.circuitBreaker([Self.path(steps: [(s, 100 - Double(limit) - 0.5)])], openSecond: Self.open, sessionSeconds: Self.n)
        guard let frozen else {
            #expect(halts.isEmpty)
            return
        }
        let resumes = frozen < 0 ? Self.n + 1 : s + 1 + frozen
        #expect(halts == [MarketHalt(limitPercent: limit, index: "NIFTY", lastTradedSecond: s, resumesAt: resumes)])
    }

    @Test("each limit triggers once: a 10% halt, then 15% later, and a re-open beyond 20% halts for the day at once; rises count like falls")
    func sequence() {
        let nifty = Self.path(steps: [(Self.second(10, 0), 111), (Self.second(12, 0), 84), (Self.second(12, 30), 79)])
        let halts = MarketHalt.circuitBreaker([nifty], openSecond: Self.open, sessionSeconds: Self.n)
        #expect(halts.map(\.limitPercent) == [10, 15, 20])
        #expect(halts[1].lastTradedSecond == Self.second(12, 0) && halts[1].resumesAt == Self.second(14, 0) + 1)
        #expect(halts[2].lastTradedSecond == halts[1].resumesAt && halts[2].resumesAt == Self.n + 1)
    }

    @Test("SENSEX triggers too, whichever index crosses first names the halt; another index never does")
    func triggerIndices() throws {
        let nifty = Self.path(steps: [(Self.second(11, 0), 89)])
        let sensex = Self.path("SENSEX", steps: [(Self.second(10, 0), 89.5)])
        let halts = MarketHalt.circuitBreaker([nifty, sensex], openSecond: Self.open, sessionSeconds: Self.n)
        #expect(halts.first?.index == "SENSEX" && halts.first?.lastTradedSecond == Self.second(10, 0))
        var shocked = Self.spec
        shocked.shocks = [MarketShock(date: Self.date, second: 3_000, index: "BANKNIFTY", kind: .jump(logReturn: PortableMath.log(0.8)))]
        #expect((try Market(seed: 5, date: Self.date, indices: ["BANKNIFTY"], spec: shocked)).halts.isEmpty)
    }

    /// A NIFTY + BANKNIFTY market with NIFTY falling 12% at 10:00 (second 2,700 of the session).
    static let crashed: Market = {
        var spec = MarketSpec.standard
        spec.shocks = [MarketShock(date: date, second: 2_700, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.88)))]
        return try! Market(seed: 11, date: date, indices: ["NIFTY", "BANKNIFTY"], spec: spec)
    }()

    static func time(_ second: Int) -> MarketTime { spec.calendar.time(date, secondOfSession: second) }

    @Test("a 12% NIFTY fall at 10:00 halts the whole market until 11:00:02; every quote inside equals the last traded second's, BANKNIFTY's too; the event stream says halt, then nothing, then resume")
    func frozenQuotes() throws {
        let market = Self.crashed
        let halt = try #require(market.halts.first)
        #expect(market.halts.count == 1 && halt.limitPercent == 10 && halt.index == "NIFTY")
        #expect(halt.lastTradedSecond == 2_701 && halt.resumesAt == 2_701 + 1 + 3_600)
        for name in ["NIFTY", "BANKNIFTY"] {
            let chain = try market.chain(index: name, expiry: nil, at: Self.time(halt.lastTradedSecond))
            let tokens = chain.expiries[0].rows.prefix(6).map(\.contract.instrumentToken)
                + [try market.index(named: name).spotToken]
            for token in tokens {
                let last = try #require(market.quote(token: token, at: Self.time(halt.lastTradedSecond)))
                for second in [halt.lastTradedSecond + 1, 3_000, halt.resumesAt - 1] {
                    #expect(market.quote(token: token, at: Self.time(second)) == last, "\(name) \(token) at \(second)")
                }
                let resumed = try #require(market.quote(token: token, at: Self.time(halt.resumesAt)))
                #expect(resumed.time == Self.time(halt.resumesAt))
                if let traded = resumed.lastTradeTime { #expect(!(traded > last.time && traded < resumed.time), "a trade inside the halt") }
            }
            #expect(try market.chain(index: name, expiry: nil, at: Self.time(4_000)) == chain)
            #expect(try market.events(index: name, second: 4_000).isEmpty)
            let halted = try market.events(index: name, second: halt.lastTradedSecond + 1)
            #expect(halted.map(\.kind) == [.halt] && halted.first?.value == 10 && halted.first?.secondValue == Int64(halt.resumesAt))
            let resumed = try market.events(index: name, second: halt.resumesAt)
            #expect(resumed.first?.kind == .resume && resumed.dropFirst().first?.kind == .underlying)
        }
    }

    @Test("no trade falls inside the halt: replayed tapes, cursors and the session stream agree after it")
    func noTradesInside() throws {
        let market = Self.crashed
        let halt = try #require(market.halts.first)
        let chain = try market.chain(index: "NIFTY", expiry: nil, at: Self.time(halt.resumesAt + 120))
        for row in chain.expiries[0].rows {
            if let last = row.lastTradeSecond { #expect(!halt.contains(last)) }
            let before = try #require(market.tradeTape(row.contract, through: halt.lastTradedSecond))
            let atEnd = try #require(market.tradeTape(row.contract, through: halt.resumesAt - 1))
            #expect(before == atEnd)
        }
        // The stream resumes mid-minute (6,302 = minute 105, second 2): the trades after the resume in
        // that minute must still print, as they do on demand.
        var stream = try SessionStream(market: market, indices: ["NIFTY", "BANKNIFTY"], expiries: 2, strikesEachSide: 20)
        stream.advance(to: halt.lastTradedSecond)
        let frozenBids = stream.bids
        stream.advance(to: halt.resumesAt - 1)
        #expect(stream.bids == frozenBids)
        let endOfMinute = (halt.resumesAt / 60) * 60 + 59
        #expect(halt.resumesAt % 60 != 0)
        stream.advance(to: endOfMinute)
        var tradesAfterResume = 0
        for (position, contract) in stream.contracts.enumerated() {
            let onDemand = try #require(market.tradeTape(contract, through: endOfMinute))
            #expect(stream.tapes[position] == onDemand, "\(contract.tradingsymbol)")
            tradesAfterResume += onDemand.tradeCount - (try #require(market.tradeTape(contract, through: halt.resumesAt - 1))).tradeCount
        }
        #expect(tradesAfterResume > 0, "the resume minute has trades to check")
    }

    @Test("a move of exactly 10.00% triggers; a crossing in the closing second halts nothing")
    func edges() {
        let exact = MarketHalt.circuitBreaker([Self.path(steps: [(Self.second(10, 0), 90)])], openSecond: Self.open, sessionSeconds: Self.n)
        #expect(exact.map(\.limitPercent) == [10])
        let up = MarketHalt.circuitBreaker([Self.path(steps: [(Self.second(10, 0), 110)])], openSecond: Self.open, sessionSeconds: Self.n)
        #expect(up.map(\.limitPercent) == [10])
        let atClose = MarketHalt.circuitBreaker([Self.path(steps: [(Self.n, 75)])], openSecond: Self.open, sessionSeconds: Self.n)
        #expect(atClose.isEmpty)
    }

    @Test("index levels inside a halt are the last traded second's; an expiry day halted to the close still settles, at that level")
    func levelsAndSettlement() throws {
        let market = Self.crashed
        let halt = try #require(market.halts.first)
        #expect(try market.indexLevelPaise(index: "NIFTY", second: 4_000) == market.indexLevelPaise(index: "NIFTY", second: halt.lastTradedSecond))
        // 2026-11-23: NIFTY's expiry (Tuesday the 24th is a holiday); a 25% fall at 10:05 halts the rest of the day.
        let expiryDay = TradingDate(year: 2026, month: 11, day: 23)
        var spec = MarketSpec.standard
        spec.shocks = [MarketShock(date: expiryDay, second: 3_000, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.75)))]
        let halted = try Market(seed: 3, date: expiryDay, indices: ["NIFTY"], spec: spec)
        #expect(halted.halts.map(\.limitPercent) == [20] && halted.halts[0].resumesAt == Self.n + 1)
        let settlement = try halted.events(index: "NIFTY", second: Self.n).filter { $0.kind == .settlement }
        #expect(settlement.count == 1)
        #expect(settlement.first?.value == (try halted.indexLevelPaise(index: "NIFTY", second: halted.halts[0].lastTradedSecond)))
    }

    @Test("with circuit breakers off the same fall halts nothing")
    func switchedOff() throws {
        var spec = Self.crashed.spec
        spec.circuitBreakers = false
        #expect(try Market(seed: 11, date: Self.date, indices: ["NIFTY"], spec: spec).halts.isEmpty)
    }
}
