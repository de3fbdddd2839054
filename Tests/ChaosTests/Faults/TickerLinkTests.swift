import MarketSim
import Platform
import Testing

@testable import Chaos

/// The collector over the simulated ticker and REST link, against the synthetic market.
struct TickerRun {
    static let date = CivilDate(year: 2026, month: 11, day: 24)!
    static let open = ISO8601.instant(date, hour: 9, minute: 15)
    static let marketStart = KiteDate(year: 2026, month: 11, day: 20)!

    var lines: [String] = []
    var collector: CollectorComponent
    var outcome: RunOutcome
    let market: SyntheticBrokerMarket

    init(seconds: Int64 = 90, source: CollectorSource = .ticker, faults: LinkFaults = LinkFaults(latencyMedianMilliseconds: 20, latencyP99Milliseconds: 20),
         seed: UInt64 = 1, strikes: Int = 5, tokensPerConnection: Int = 3_000, connections: Int = 3) {
        market = SyntheticBrokerMarket(seed: seed, firstDate: Self.marketStart, expiries: 6, strikesPerSide: 30)
        let broker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: "key", apiSecret: "secret", checksum: BrokerBridge.checksum, seed: seed, profile: .perfect))
        var index = CollectorIndex(symbol: "NIFTY", derivativesExchange: "NFO", spotKey: "NSE:NIFTY 50", strikesEachSide: strikes)
        index.source = source
        var config = CollectorConfig(indices: [index], seed: seed)
        config.tickerTokensPerConnection = tokensPerConnection
        config.tickerConnectionsMax = connections
        var captured: [String] = []
        var components: [any SimComponent] = [
            CollectorComponent(config: config, apiKey: "key", apiSecret: "secret"),
            BrokerLink(endpoint: MockBrokerEndpoint(broker: broker), faults: faults, seed: seed),
        ]
        if source == .ticker { components.append(TickerLink(market: market, faults: faults, seed: seed)) }
        var world = World(start: Self.open, end: Self.open + .seconds(seconds), components: components,
                          log: EventLog(output: { captured.append(String(decoding: $0, as: UTF8.self)) }))
        outcome = world.run()
        collector = world.component(named: "collector") as! CollectorComponent
        lines = captured.joined().split(separator: "\n").map(String.init)
    }

    func lines(kind: String) -> [String] { lines.filter { $0.contains("\"kind\":\"\(kind)\"") } }

    /// Every stored NIFTY row, oldest snapshot first.
    func rows() throws -> [StoredRow] {
        var store = collector.store
        return try store.range(index: "NIFTY", date: Self.date, from: Self.open, to: Self.open + .seconds(86_400))
    }
}

@Suite struct TickerLinkTests {
    static let dropping = { () -> LinkFaults in
        var faults = LinkFaults(latencyMedianMilliseconds: 20, latencyP99Milliseconds: 60)
        faults.tickerDisconnectsPerHour = 240
        faults.tickerDisconnects = [TickerRun.open + .seconds(30), TickerRun.open + .seconds(31), TickerRun.open + .seconds(60)]
        return faults
    }()

    @Test("with disconnects no snapshot interval is lost: REST fills, every snapshot is complete and matches a REST-only run",
          arguments: [1, 2, 3, 4] as [UInt64])
    func noIntervalLost(seed: UInt64) throws {
        let streamed = TickerRun(seconds: 65, faults: Self.dropping, seed: seed)
        let polled = TickerRun(seconds: 65, source: .rest, faults: Self.dropping, seed: seed)
        #expect(streamed.outcome.invariantsHold, "seed \(seed)")
        #expect(streamed.lines(kind: "ticker_disconnected").count >= 3, "seed \(seed): the scheduled drops must happen")
        #expect(streamed.lines(kind: "ticker_open").count >= streamed.lines(kind: "ticker_disconnected").count,
                "seed \(seed): every drop is followed by a reconnect")
        let metrics = streamed.collector.collector.tickerMetrics
        #expect(metrics.streamedQuotes > 0 && metrics.restFilledQuotes > 0, "seed \(seed): both sources must be used")
        let times = streamed.collector.store.snapshotTimes(index: "NIFTY", date: TickerRun.date)
        #expect(times == polled.collector.store.snapshotTimes(index: "NIFTY", date: TickerRun.date), "seed \(seed)")
        #expect(times.count >= 62, "seed \(seed): 65 polls, the first learns the underlying")
        let snapshots = streamed.lines(kind: "snapshot")
        #expect(snapshots.allSatisfy { $0.contains("\"completeness_permille\":1000") }, "seed \(seed)")
        let rows = try streamed.rows()
        let reference = try polled.rows()
        #expect(rows.map { "\($0.collectedAt) \($0.quote.tradingsymbol)" } == reference.map { "\($0.collectedAt) \($0.quote.tradingsymbol)" })
    }

    @Test("no row is stored twice: (collected_at, tradingsymbol) keys are unique", arguments: [7, 8, 9] as [UInt64])
    func noDuplicateRows(seed: UInt64) throws {
        let run = TickerRun(seconds: 60, faults: Self.dropping, seed: seed)
        let keys = try run.rows().map { "\($0.collectedAt) \($0.quote.tradingsymbol)" }
        #expect(!keys.isEmpty)
        #expect(Set(keys).count == keys.count, "seed \(seed)")
        #expect(run.lines(kind: "stored").allSatisfy { $0.contains("\"rows_already_stored\":0") }, "seed \(seed)")
    }

    @Test("every stored row equals the market's quote for its token at its exchange second, streamed or polled",
          arguments: [11, 12] as [UInt64])
    func rowsEqualMarket(seed: UInt64) throws {
        let run = TickerRun(seconds: 60, faults: Self.dropping, seed: seed)
        #expect(run.collector.collector.tickerMetrics.streamedQuotes > 1_000)
        for row in try run.rows() {
            let quote = try #require(run.market.quote(token: row.quote.instrumentToken, at: BrokerBridge.kiteInstant(row.quote.exchangeTime)))
            #expect(row.quote.ltpPaise == quote.lastPricePaise, "seed \(seed) \(row.quote.tradingsymbol) at \(row.quote.exchangeTime)")
            #expect(row.quote.bidPaise == (quote.bids.first?.pricePaise ?? 0) && row.quote.askPaise == (quote.asks.first?.pricePaise ?? 0))
            #expect(row.quote.volume == quote.volume && row.quote.openInterest == quote.oi)
        }
    }

    @Test("when the ATM window moves, the stream is re-subscribed to exactly the window's contracts and snapshots stay complete")
    func resubscribes() throws {
        var resubscriptions = 0
        for seed in [1, 2] as [UInt64] {
            let run = TickerRun(seconds: 125, seed: seed)
            resubscriptions += run.lines(kind: "ticker_resubscribed").count
            var store = run.collector.store
            let latest = try store.latest(index: "NIFTY", date: TickerRun.date)
            let streamed = run.collector.collector.tickerConnections.assigned.flatMap { $0 }
            #expect(Set(streamed) == Set(latest.map(\.quote.instrumentToken)), "seed \(seed)")
            #expect(run.lines(kind: "snapshot").allSatisfy { $0.contains("\"completeness_permille\":1000") }, "seed \(seed)")
        }
        #expect(resubscriptions > 0, "the synthetic spot jumps each minute: the window must move at least once")
    }

    @Test("tokens beyond 3 connections are reported as ticker shortfall and polled over REST instead")
    func shortfall() throws {
        // ±5 strikes × 3 listed buckets × 2 = 66 tokens on connections of 20: 3 × 20 = 60 stream, 6 are shortfall.
        let run = TickerRun(seconds: 30, tokensPerConnection: 20)
        #expect(run.lines(kind: "snapshot").last?.contains("\"expected\":66") == true)
        #expect(run.collector.collector.tickerMetrics.shortfallTokens == 6)
        #expect(run.lines(kind: "ticker_shortfall").first?.contains("\"tokens\":6") == true)
        #expect(run.collector.collector.tickerConnections.assigned.map(\.count) == [20, 20, 20])
        #expect(run.lines(kind: "ticker_accepted").count == 3)
        #expect(run.lines(kind: "snapshot").allSatisfy { $0.contains("\"completeness_permille\":1000") })
        #expect(run.outcome.invariantsHold)
    }

    @Test("health is degraded, naming the connection, exactly while a connection with tokens is not streaming")
    func healthFollowsConnections() {
        var sawDown = false
        for seconds in stride(from: Int64(29), through: 33, by: 1) {
            let run = TickerRun(seconds: seconds, faults: Self.dropping, seed: 2)
            let connections = run.collector.collector.tickerConnections
            let down = (0..<connections.connectionsMax).contains {
                !connections.assigned[$0].isEmpty && !connections.isStreaming($0)
            }
            let health = run.collector.collector.health(at: TickerRun.open + .seconds(seconds))
            let reason: String? = if case .degraded(let reason) = health.status { reason } else { nil }
            #expect((reason?.hasPrefix("ticker connection") == true) == down, "at +\(seconds) s: \(health.status)")
            sawDown = sawDown || down
        }
        #expect(sawDown, "no instant with a connection down was sampled")
    }

    @Test("the same seed gives the same digest with the ticker source")
    func deterministic() {
        #expect(TickerRun(seconds: 40, faults: Self.dropping, seed: 3).outcome.digest
                == TickerRun(seconds: 40, faults: Self.dropping, seed: 3).outcome.digest)
    }
}
