import Chaos
import Dispatch
import Foundation
import Platform

/// `opsim sweep SCENARIO --seeds N [--from S] [--jobs J] [--verify-determinism] [--out FILE]`.
enum SweepCommand {
    static let command = Commands.Command(
        name: "sweep", summary: "run a scenario over many seeds and report failing ones",
        help: """
            Usage: opsim sweep [SCENARIO] [--seeds N] [--from S] [--jobs J] [--verify-determinism] [--out FILE]

            Runs SCENARIO (the built-in default when omitted) once per seed, S, S+1, …, S+N-1
            (S defaults to the scenario's seed, N to 20), on J worker threads (default: the number of
            cores). Prints one line per seed (seed, digest, invariant verdicts) in seed order, then a
            summary. A seed whose run violates an invariant is listed as FAILED with the invariant's
            detail; replay it with 'opsim run SCENARIO --seed SEED'.

            Options:
              --seeds N               number of seeds (1...100000)
              --from S                first seed
              --jobs J                worker threads (1...64)
              --verify-determinism    run every seed twice and fail if the digests differ
              --out FILE              also write the results as JSON lines to FILE

            Exit status: 0 every run held its invariants, 1 some run did not, 2 bad usage or input.
            """,
        run: run)

    struct SeedResult: Sendable {
        var seed: UInt64
        var digest: String
        var failures: [String]
        var deterministic: Bool
    }

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valueOptions: ["--seeds", "--from", "--jobs", "--out"], flagOptions: ["--verify-determinism"])
        guard parsed.positionals.count <= 1 else { throw .usage("sweep takes at most one scenario file") }
        let scenario: Scenario
        do {
            scenario = try parsed.positionals.first.map(ScenarioDecoder.load(path:)) ?? Scenario.builtInDefault
        } catch {
            throw .input(error.description)
        }
        let count = try parsed.uint64("--seeds") ?? 20
        guard (1...100_000).contains(count) else { throw .usage("--seeds must be in 1...100000, got \(count)") }
        let first = try parsed.uint64("--from") ?? scenario.seed
        let jobs = try parsed.uint64("--jobs") ?? UInt64(ProcessInfo.processInfo.activeProcessorCount)
        guard (1...64).contains(jobs) else { throw .usage("--jobs must be in 1...64, got \(jobs)") }
        let verify = parsed.has("--verify-determinism")

        let results = runAll(scenario, seeds: (0..<count).map { first &+ $0 }, jobs: Int(jobs), verify: verify)
        var lines: [String] = []
        for result in results {
            let verdict = result.failures.isEmpty && result.deterministic ? "ok" : "FAILED"
            var line = "seed \(result.seed)  \(result.digest)  \(verdict)"
            if !result.deterministic { line += "  nondeterministic: two runs gave different digests" }
            for failure in result.failures { line += "\n    \(failure)" }
            print(line)
            lines.append(json(result))
        }
        let failed = results.filter { !$0.failures.isEmpty || !$0.deterministic }
        print("\(results.count) seeds, \(results.count - failed.count) ok, \(failed.count) failed"
              + (failed.isEmpty ? "" : ": " + failed.map { String($0.seed) }.joined(separator: ", ")))
        if let out = parsed.value("--out") {
            do {
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw .input("cannot write \(out): \(error.localizedDescription)")
            }
        }
        return failed.isEmpty ? 0 : 1
    }

    /// Runs every seed on `jobs` threads; results come back in seed order whatever the scheduling.
    static func runAll(_ scenario: Scenario, seeds: [UInt64], jobs: Int, verify: Bool) -> [SeedResult] {
        let slots = ResultSlots(count: seeds.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: min(jobs, seeds.count)) { _ in
            while let index = next.take(below: seeds.count) {
                let seed = seeds[index]
                let outcome = ScenarioRun.run(scenario, seed: seed)
                let again = verify ? ScenarioRun.run(scenario, seed: seed).digest : outcome.digest
                let failures = outcome.invariants.filter { !$0.holds }.map { "\($0.id): \($0.detail ?? "violated")" }
                slots.set(index, SeedResult(seed: seed, digest: outcome.digest.hexString, failures: failures,
                                            deterministic: again == outcome.digest))
            }
        }
        return slots.values()
    }

    static func json(_ result: SeedResult) -> String {
        let failures = result.failures.map(JSONWriter.quoted).joined(separator: ",")
        return #"{"seed":\#(result.seed),"digest":"\#(result.digest)","ok":\#(result.failures.isEmpty && result.deterministic),"deterministic":\#(result.deterministic),"failures":[\#(failures)]}"#
    }
}

/// A shared work index for the sweep's worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Per-seed result slots written by worker threads and read after they finish.
final class ResultSlots: @unchecked Sendable {
    private var slots: [SweepCommand.SeedResult?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: SweepCommand.SeedResult) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func values() -> [SweepCommand.SeedResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
