import MarketSim
import Platform
import Testing

@testable import Chaos

/// Runs the collector against the mock broker over the simulated link.
struct CollectorRun {
    static let date = CivilDate(year: 2026, month: 11, day: 24)!
    static let open = ISO8601.instant(date, hour: 9, minute: 15)

    var lines: [String] = []
    var collector: CollectorComponent
    var outcome: RunOutcome

    init(minutes: Int64 = 3, faults: LinkFaults = .clean, profile: KiteBehaviourProfile = .perfect, seed: UInt64 = 1,
         strikes: Int = 10, rate: Double = 1) {
        let market = SyntheticBrokerMarket(seed: seed, firstDate: KiteDate(year: 2026, month: 11, day: 20)!, expiries: 6, strikesPerSide: 30)
        let broker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: "key", apiSecret: "secret", checksum: BrokerBridge.checksum, seed: seed, profile: profile))
        let config = CollectorConfig(
            indices: [CollectorIndex(symbol: "NIFTY", derivativesExchange: "NFO", spotKey: "NSE:NIFTY 50", strikesEachSide: strikes)],
            quoteRequestsPerSecond: rate, seed: seed)
        var captured: [String] = []
        var world = World(
            start: Self.open, end: Self.open + .seconds(minutes * 60),
            components: [
                CollectorComponent(config: config, apiKey: "key", apiSecret: "secret"),
                BrokerLink(endpoint: MockBrokerEndpoint(broker: broker), faults: faults, seed: seed),
            ],
            log: EventLog(output: { captured.append(String(decoding: $0, as: UTF8.self)) }))
        outcome = world.run()
        collector = world.component(named: "collector") as! CollectorComponent
        lines = captured.joined().split(separator: "\n").map(String.init)
    }

    func lines(kind: String) -> [String] { lines.filter { $0.contains("\"kind\":\"\(kind)\"") } }
}

@Suite struct CollectorSimulationTests {
    // A link without jitter: with a strict 1/s limiter at the broker, jitter alone costs snapshots.
    @Test("on a clean link the collector logs in, discovers and stores one complete snapshot a second")
    func cleanRun() throws {
        let run = CollectorRun(minutes: 3, faults: LinkFaults(latencyMedianMilliseconds: 20, latencyP99Milliseconds: 20))
        #expect(run.lines(kind: "logged_in").count == 1)
        #expect(run.lines(kind: "discovered").count == 1)
        let snapshots = run.lines(kind: "snapshot")
        #expect(snapshots.count >= 175)  // 180 polls; the first learns the underlying
        #expect(snapshots.allSatisfy { $0.contains("\"completeness_permille\":1000") })
        let stored = run.collector.store.snapshotTimes(index: "NIFTY", date: CollectorRun.date)
        #expect(stored.count == snapshots.count)
        #expect(run.collector.storeErrors == 0)
        #expect(run.outcome.invariantsHold)
    }

    @Test("the same seed gives the same digest; the collector run is deterministic")
    func deterministic() {
        #expect(CollectorRun(minutes: 1, seed: 3).outcome.digest == CollectorRun(minutes: 1, seed: 3).outcome.digest)
    }

    @Test("under drops, resets and truncated bodies nothing crashes and every stored snapshot is unique",
          arguments: [1, 2, 3] as [UInt64])
    func faultyLink(seed: UInt64) throws {
        let faults = LinkFaults(latencyMedianMilliseconds: 40, latencyP99Milliseconds: 400, dropProbability: 0.05,
                                resetProbability: 0.05, truncateProbability: 0.05)
        let run = CollectorRun(minutes: 2, faults: faults, seed: seed)
        let times = run.collector.store.snapshotTimes(index: "NIFTY", date: CollectorRun.date)
        #expect(times.count > 60)
        #expect(Set(times).count == times.count)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(run.lines(kind: "batch_failed").count > 0)
        #expect(run.collector.storeErrors == 0)
    }
}

