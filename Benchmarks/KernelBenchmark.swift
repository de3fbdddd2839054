import Chaos
import Platform

/// Measures the simulation kernel alone (`Scenarios/kernel-heartbeat.json`: a seeded heartbeat every
/// second for a whole session, no platform) against SHA-256 throughput as baseline.
enum KernelBenchmark {
    static func run() -> String {
        let clock = ContinuousClock()
        let scenario: Scenario
        do {
            scenario = try ScenarioDecoder.load(path: "Scenarios/kernel-heartbeat.json")
        } catch {
            fail("kernel: run from the repository root (\(error))")
        }
        var outcome: RunOutcome?
        let runTime = clock.measure { outcome = ScenarioRun.run(scenario) }
        let bytes = [UInt8](repeating: 0x61, count: 64 << 20)
        var digest: Digest?
        let hashTime = clock.measure { digest = SHA256.hash(bytes) }
        let runSeconds = seconds(runTime)
        let hashSeconds = seconds(hashTime)
        let events = outcome?.events ?? 0
        return """
            {"benchmark":"kernel","events":\(events),"run_seconds":\(runSeconds),\
            "events_per_second":\(Double(events) / runSeconds),\
            "speedup_over_real_time":\((outcome?.virtualSeconds ?? 0) / runSeconds),\
            "baseline_sha256_mib_per_second":\(64 / hashSeconds),"baseline_digest_prefix":"\(digest?.hexString.prefix(8) ?? "")"}
            """
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
