import Chaos
import Foundation
import Platform

// opsim-bench: benchmarks that print JSON. Never run by `swift test`; see Benchmarks/README.md.
// Each figure is reported with a baseline measured in the same process, so ratios compare runs.

let arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first ?? "kernel"
switch name {
case "kernel":
    print(KernelBenchmark.run())
case "analytics":
    print(AnalyticsBenchmark.run(Array(arguments.dropFirst())))
default:
    FileHandle.standardError.write(Data("opsim-bench: unknown benchmark '\(name)' (known: kernel, analytics)\n".utf8))
    exit(2)
}
