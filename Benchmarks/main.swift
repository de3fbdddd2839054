import Chaos
import Foundation
import Platform

// opsim-bench: benchmarks that print JSON. Never run by `swift test`; see Benchmarks/README.md.
// Each figure is reported with a baseline measured in the same process, so ratios compare runs.

let arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first ?? "kernel"

/// The value after `--flag` in the arguments, or nil.
func option(_ flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("opsim-bench: \(message)\n".utf8))
    exit(2)
}

let defaultChain = "../shared/reference/http-workload/chain.json"

/// Benchmarks by name; each takes the remaining arguments and returns its JSON report. Servers
/// run until stopped and exit from inside.
let benchmarks: [(name: String, run: ([String]) -> String)] = [
    ("kernel", { _ in KernelBenchmark.run() }),
    ("store", { StoreBenchmark.run(arguments: $0) }),
    ("broker", { _ in BrokerBenchmark.run() }),
    ("collector", { CollectorBenchmark.run(arguments: $0) }),
    ("session", { SessionBenchmark.run(arguments: $0) }),
    ("live-collector", { LiveCollectorBenchmark.run(arguments: $0) }),
    ("market", { _ in MarketBenchmark.run() }),
    ("analytics", { AnalyticsBenchmark.run($0) }),
    ("json", { _ in
        do { return try JSONBenchmark.run(chainPath: option("--chain") ?? defaultChain) } catch { fail("json: \(error)") }
    }),
    ("http-server", { _ in
        do {
            let loops = Int(option("--loops") ?? "") ?? HTTPServerConfiguration.coreCount
            exit(try HTTPServerBenchmark.run(
                host: option("--host") ?? "127.0.0.1", port: Int(option("--port") ?? "") ?? 8080,
                chainPath: option("--chain") ?? defaultChain, loops: loops))
        } catch {
            fail("http-server: \(error)")
        }
    }),
    ("ws-server", { _ in
        do {
            exit(try WebSocketBroadcastBenchmark.serve(
                port: Int(option("--port") ?? "") ?? 8081, subscribers: Int(option("--clients") ?? "") ?? 100,
                loops: Int(option("--loops") ?? "") ?? 1))
        } catch {
            fail("ws-server: \(error)")
        }
    }),
    ("ws-client", { _ in
        do {
            return try WebSocketBroadcastBenchmark.subscribe(
                port: Int(option("--port") ?? "") ?? 8081, count: Int(option("--clients") ?? "") ?? 100,
                warmupSeconds: Double(option("--warmup") ?? "") ?? 5, seconds: Double(option("--seconds") ?? "") ?? 20)
        } catch {
            fail("ws-client: \(error)")
        }
    }),
    ("api-chain", { APIChainBenchmark.run(arguments: $0) }),
    ("api-stream", { APIStreamBenchmark.run(arguments: $0) }),
    ("fuzz", { _ in FuzzRun.run(iterations: Int(option("--iterations") ?? "") ?? 1_000_000, seed: UInt64(option("--seed") ?? "") ?? 1) }),
]

guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
    fail("unknown benchmark '\(name)' (known: \(benchmarks.map(\.name).joined(separator: ", ")))")
}
print(benchmark.run(Array(arguments.dropFirst())))
