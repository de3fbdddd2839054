import Chaos
import Foundation
import MarketSim
import Platform
import Synchronization

/// The live path: `LiveCollector` over loopback HTTP against the in-process mock broker, fsync per
/// snapshot to real files, for `--seconds` of wall time at the fastest cadence (100 ms) and no
/// broker rate limit. Baseline in the same run: the same collector configuration in the simulated
/// world over the same span of virtual time (in-memory broker, simulated disk), so the ratio is
/// the cost of HTTP, threads and POSIX files per stored row.
enum LiveCollectorBenchmark {
    static func run(arguments: [String]) -> String {
        let seconds = Double(option("--seconds") ?? "") ?? 10
        let strikes = Int(option("--strikes") ?? "") ?? 20
        let indices = (option("--indices") ?? "NIFTY").split(separator: ",").map(String.init)
        let interval = Duration.milliseconds(Int64(option("--interval-ms") ?? "") ?? 100)
        let session = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 0)
        let config = CollectorConfig(
            indices: indices.map { CollectorIndex.standard($0, strikesEachSide: strikes)! }, pollInterval: interval,
            quoteRequestsPerSecond: 1000, quoteBurst: 20, pacingMargin: 0, seed: 1)

        // Live.
        let broker: MockBrokerServer
        do {
            broker = try MockBrokerServer(seed: 1, indices: indices, sessionStart: session, quotesPerSecond: nil, loops: 1)
        } catch {
            fail("live-collector: could not start the broker: \(error)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-bench-live-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let latencies = LatencyLog()
        let clock = broker.clock
        let options = LiveCollectorOptions(
            config: config, apiKey: broker.apiKey, credentials: .apiSecret("opsim_secret"), directory: directory,
            clock: clock,
            log: { kind, fields in
                guard kind == "snapshot", let field = fields.first(where: { $0.key == "collected_at" }),
                      case .instant(let at) = field.value else { return }
                latencies.add(clock.now - at)
            })
        let live: LiveCollector
        do { live = try LiveCollector(broker: try BrokerURL(parsing: broker.url), options: options) } catch {
            fail("live-collector: \(error)")
        }
        let cpuBefore = cpuSeconds()
        let wallStart = ContinuousClock.now
        live.start()
        Thread.sleep(forTimeInterval: seconds)
        live.stop()
        let outcome = live.wait()
        let wall = KernelBenchmark.seconds(ContinuousClock.now - wallStart)
        let cpu = cpuSeconds() - cpuBefore
        broker.shutdown()
        let status = live.status()
        guard outcome == .stopped else { fail("live-collector: \(outcome)") }

        // Baseline: the simulated world over the same virtual span.
        let market = MarketBrokerAdapter(seed: 1, indices: indices)
        let simulatedBroker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: "key", apiSecret: "secret", checksum: BrokerBridge.checksum, seed: 1,
            profile: KiteBehaviourProfile(rateLimits: .unlimited)))
        var world = World(
            start: session, end: session + .nanoseconds(Int64(seconds * 1e9)),
            components: [
                CollectorComponent(config: config, apiKey: "key", apiSecret: "secret"),
                BrokerLink(endpoint: MockBrokerEndpoint(broker: simulatedBroker),
                           faults: LinkFaults(latencyMedianMilliseconds: 1, latencyP99Milliseconds: 1), seed: 1),
            ],
            log: EventLog())
        let simulatedCPUBefore = cpuSeconds()
        _ = world.run()
        let simulatedCPU = cpuSeconds() - simulatedCPUBefore
        let simulated = world.component(named: "collector") as! CollectorComponent

        let liveCPUPerRow = cpu / Double(max(1, status.rowsStored))
        let simulatedCPUPerRow = simulatedCPU / Double(max(1, simulated.rowsStored))
        let sorted = latencies.sorted()
        let p50 = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        return """
            {"benchmark":"live-collector","indices":"\(indices.joined(separator: ","))","strikes_each_side":\(strikes),\
            "interval_ms":\(interval.wholeNanoseconds / 1_000_000),"wall_seconds":\(wall),\
            "snapshots":\(status.snapshotsStored),"rows":\(status.rowsStored),\
            "snapshots_per_second":\(Double(status.snapshotsStored) / wall),"rows_per_second":\(Double(status.rowsStored) / wall),\
            "requests":\(status.metrics.requests),"failures":\(status.metrics.failures.values.reduce(0, +)),\
            "failures_by_kind":"\(status.metrics.failures.keys.sorted().map { "\($0)=\(status.metrics.failures[$0]!)" }.joined(separator: " "))",\
            "shortfall_contracts":\(status.metrics.shortfallContracts),"last_completeness":\(status.metrics.lastCompleteness),\
            "cycle_latency_p50_ms":\(p50),"cycle_latency_p99_ms":\(p99),"fsyncs":\(status.store.syncs),\
            "cpu_seconds":\(cpu),"cpu_microseconds_per_row":\(liveCPUPerRow * 1e6),\
            "baseline_simulated_rows":\(simulated.rowsStored),"baseline_cpu_seconds":\(simulatedCPU),\
            "baseline_cpu_microseconds_per_row":\(simulatedCPUPerRow * 1e6),\
            "live_over_simulated_cpu_per_row":\(liveCPUPerRow / simulatedCPUPerRow)}
            """
    }

    /// User plus system CPU time of this process, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// Poll-to-snapshot latencies in milliseconds, appended from the collector's thread.
final class LatencyLog: Sendable {
    private let values = Mutex<[Double]>([])
    func add(_ duration: Duration) { values.withLock { $0.append(Double(duration.wholeNanoseconds) / 1e6) } }
    func sorted() -> [Double] { values.withLock { $0.sorted() } }
}
