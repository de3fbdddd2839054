import Chaos
import Glibc
import Platform

/// The default scenario — a whole session of NIFTY and BANKNIFTY collection through the real Kite
/// encode/decode path, the store and the invariants — timed in wall and CPU seconds with its peak
/// resident memory. Baseline in the same run: pricing one Black-76 option (value only) per stored
/// row, so `session_over_baseline` says how many pricings one stored row costs.
///
/// `opsim-bench session [--until HH:MM] [--keep-bytes]` (a shorter span for a quick look; the simulated
/// disk keeping every stored byte, as `opsim --out` does, instead of sizes only, as `opsim` does).
enum SessionBenchmark {
    static func run(arguments: [String]) -> String {
        var scenario = Scenario.builtInDefault
        if let index = arguments.firstIndex(of: "--until"), index + 1 < arguments.count {
            let parts = arguments[index + 1].split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { fail("session: --until wants HH:MM") }
            scenario.endSecondOfDay = parts[0] * 3600 + parts[1] * 60
            guard scenario.endSecondOfDay > scenario.startSecondOfDay else { fail("session: --until must be after 09:15") }
        }
        let clock = ContinuousClock()
        let cpuBefore = cpuSeconds()
        let keepBytes = arguments.contains("--keep-bytes")
        var outcome: RunOutcome?
        let wall = KernelBenchmark.seconds(clock.measure { outcome = ScenarioRun.run(scenario, exportFiles: keepBytes) })
        let cpu = cpuSeconds() - cpuBefore
        let result = outcome!
        let counters = Dictionary(result.counters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let rows = Int(counters["rows_stored"] ?? 0)

        var sink = 0.0
        let baseline = KernelBenchmark.seconds(clock.measure {
            for n in 0..<rows {
                sink += Black76.price(
                    n & 1 == 0 ? .call : .put, forward: 24_000, strike: 23_000 + Double(n % 41) * 50,
                    years: 0.02 + Double(n % 7) * 0.01, rate: 0.065, volatility: 0.12 + Double(n % 5) * 0.01)
            }
        })
        return """
            {"benchmark":"session","scenario":"\(scenario.name)","virtual_seconds":\(result.virtualSeconds),\
            "stored_bytes_kept":\(keepBytes),"wall_seconds":\(wall),"cpu_seconds":\(cpu),"speedup_over_real_time":\(result.virtualSeconds / wall),\
            "snapshots":\(counters["snapshots"] ?? 0),"rows_stored":\(rows),"rows_per_second":\(Double(rows) / wall),\
            "broker_requests":\(counters["broker_requests"] ?? 0),"peak_rss_mib":\(peakResidentMiB()),\
            "invariants_hold":\(result.invariantsHold),"digest":"\(result.digest.hexString)",\
            "baseline_black76_seconds":\(baseline),"session_over_baseline":\(wall / max(baseline, 1e-9)),\
            "baseline_checksum":\(sink.isFinite ? 1 : 0)}
            """
    }

    /// User plus system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process in MiB (Linux reports KiB).
    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
