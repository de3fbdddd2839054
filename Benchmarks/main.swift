import Chaos
import Foundation
import Platform

// opsim-bench: benchmarks that print JSON. Never run by `swift test`; see Benchmarks/README.md.
// Each figure is reported with a baseline measured in the same process, so ratios compare runs.

/// Benchmarks by name; each takes the remaining arguments and returns its JSON report.
let benchmarks: [(name: String, run: ([String]) -> String)] = [
    ("kernel", { _ in KernelBenchmark.run() }),
    ("store", { StoreBenchmark.run(arguments: $0) }),
    ("broker", { _ in BrokerBenchmark.run() }),
    ("collector", { CollectorBenchmark.run(arguments: $0) }),
    ("market", { _ in MarketBenchmark.run() }),
]

let arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first ?? "kernel"
guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
    let known = benchmarks.map(\.name).joined(separator: ", ")
    FileHandle.standardError.write(Data("opsim-bench: unknown benchmark '\(name)' (known: \(known))\n".utf8))
    exit(2)
}
print(benchmark.run(Array(arguments.dropFirst())))
