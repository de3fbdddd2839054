import Chaos
import MarketSim
import Platform

/// A collector session in the simulated world against the mock broker, end to end through the
/// real encode/decode path. Baseline in the same run: the kernel heartbeat over the same span.
enum CollectorBenchmark {
    static func run(arguments: [String]) -> String {
        let minutes = Int64(arguments.first.flatMap(Int64.init) ?? 30)
        let date = CivilDate(year: 2026, month: 11, day: 24)!
        let open = ISO8601.instant(date, hour: 9, minute: 15)
        let market = SyntheticBrokerMarket(seed: 1, firstDate: KiteDate(year: 2026, month: 11, day: 20)!, expiries: 6, strikesPerSide: 30)
        let broker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: "key", apiSecret: "secret", checksum: BrokerBridge.checksum, seed: 1))
        let config = CollectorConfig(
            indices: [CollectorIndex(symbol: "NIFTY", derivativesExchange: "NFO", spotKey: "NSE:NIFTY 50", strikesEachSide: 20)], seed: 1)
        var world = World(
            start: open, end: open + .seconds(minutes * 60),
            components: [
                CollectorComponent(config: config, apiKey: "key", apiSecret: "secret"),
                BrokerLink(endpoint: MockBrokerEndpoint(broker: broker),
                           faults: LinkFaults(latencyMedianMilliseconds: 20, latencyP99Milliseconds: 20), seed: 1),
            ],
            log: EventLog())
        let clock = ContinuousClock()
        var outcome: RunOutcome?
        let elapsed = clock.measure { outcome = world.run() }
        let collector = world.component(named: "collector") as! CollectorComponent
        var heartbeat = World(start: open, end: open + .seconds(minutes * 60),
                              components: [Heartbeat(interval: .seconds(1), seed: 1)], log: EventLog())
        let baseline = clock.measure { _ = heartbeat.run() }
        let seconds = KernelBenchmark.seconds(elapsed)
        return """
            {"benchmark":"collector","virtual_minutes":\(minutes),"wall_seconds":\(seconds),\
            "speedup_over_real_time":\(Double(minutes * 60) / seconds),"rows_stored":\(collector.rowsStored),\
            "rows_per_second":\(Double(collector.rowsStored) / seconds),"events":\(outcome!.events),\
            "baseline_heartbeat_wall_seconds":\(KernelBenchmark.seconds(baseline))}
            """
    }
}
