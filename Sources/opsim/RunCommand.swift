import Chaos
import Foundation
import Platform

/// `opsim run [SCENARIO] [--seed N] [--out DIR] [--log FILE]`: run a scenario and summarise it.
enum RunCommand {
    static let command = Commands.Command(
        name: "run", summary: "run a scenario and print its digest",
        help: """
            Usage: opsim run [SCENARIO] [--seed N] [--out DIR] [--log FILE] [--quiet]

            Runs SCENARIO (a JSON file; the built-in default when omitted) in virtual time and prints
            a summary: events, virtual span, wall time, speed-up over real time, and the run digest
            (SHA-256 of the event log). The same scenario and seed always give the same digest.

            Options:
              --seed N     override the scenario's seed (decimal or 0x-hex, below 2^64)
              --out DIR    write DIR/summary.json and DIR/events.jsonl (the event log)
              --log FILE   write the event log (JSON lines) to FILE
              --quiet      print only the digest

            Exit status: 0 every invariant held, 1 an invariant was violated, 2 bad usage or input.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valueOptions: ["--seed", "--out", "--log"], flagOptions: ["--quiet"])
        guard parsed.positionals.count <= 1 else {
            throw .usage("run takes at most one scenario file, got \(parsed.positionals.count)")
        }
        let scenarioName = parsed.positionals.first ?? "(built-in default)"
        let scenario: Scenario
        do {
            scenario = try parsed.positionals.first.map(ScenarioDecoder.load(path:)) ?? Scenario.builtInDefault
        } catch {
            throw .input(error.description)
        }
        let seed = try parsed.uint64("--seed") ?? scenario.seed
        let outDirectory = parsed.value("--out")
        if let outDirectory { try makeDirectory(outDirectory) }
        let logPath = parsed.value("--log") ?? outDirectory.map { $0 + "/events.jsonl" }
        let logFile = try logPath.map { path throws(CLIError) in try openForWriting(path) }
        defer { try? logFile?.close() }

        let clock = ContinuousClock()
        let started = clock.now
        let outcome = ScenarioRun.run(
            scenario, seed: seed, logOutput: logFile.map { file in { file.write(Data($0)) } }, exportFiles: outDirectory != nil)
        let wall = clock.now - started
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        let summary = RunSummary(scenario: scenario.name, seed: seed, outcome: outcome, wallSeconds: wallSeconds)

        if let outDirectory {
            try write(summary.json, to: outDirectory + "/summary.json")
            if let disk = outcome.disk { try export(disk, to: outDirectory) }
        }
        if parsed.has("--quiet") {
            print(outcome.digest.hexString)
        } else {
            print(report(summary, source: scenarioName, logPath: logPath, outDirectory: outDirectory))
        }
        return outcome.invariantsHold ? 0 : 1
    }

    static func report(_ summary: RunSummary, source: String, logPath: String?, outDirectory: String?) -> String {
        let outcome = summary.outcome
        var lines = [
            "scenario  \(summary.scenario) (\(source))",
            "seed      \(summary.seed)",
            "span      \(outcome.start) → \(outcome.end) (\(format(outcome.virtualSeconds)) s virtual)",
            "events    \(outcome.events) logged, \(outcome.steps) steps"
                + (outcome.endReason == .nothingScheduled ? " (ended early: nothing left scheduled)" : ""),
            "wall      \(format(summary.wallSeconds, digits: 3)) s, \(format(summary.speedup.rounded()))× real time",
        ]
        if !outcome.counters.isEmpty {
            lines.append("platform  " + outcome.counters.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
        }
        if let outDirectory, let disk = outcome.disk, !exportedPaths(disk).isEmpty {
            lines.append("data      \(exportedPaths(disk).count) file(s) under \(outDirectory)/data")
        }
        for result in outcome.invariants {
            lines.append("invariant \(result.id): \(result.holds ? "holds" : "VIOLATED: " + (result.detail ?? ""))")
        }
        if let logPath { lines.append("log       \(logPath)") }
        if let outDirectory { lines.append("summary   \(outDirectory)/summary.json") }
        lines.append("digest    \(outcome.digest.hexString)")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, digits: Int = 0) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// The simulated files a run exports: everything but lock files.
    static func exportedPaths(_ disk: SimulatedDisk) -> [String] {
        disk.paths.filter { !$0.hasSuffix("/.lock") }
    }

    /// Writes every stored file of `disk` under `directory`, streaming in 8 MiB pieces so a whole
    /// session's CSV is never held in memory at once. Simulated paths are absolute ("/data/…").
    static func export(_ disk: SimulatedDisk, to directory: String) throws(CLIError) {
        for path in exportedPaths(disk) {
            let target = directory + (path.hasPrefix("/") ? "" : "/") + path
            try makeDirectory((target as NSString).deletingLastPathComponent)
            let handle = try openForWriting(target, what: "an exported data file")
            defer { try? handle.close() }
            var offset = 0
            while true {
                let piece: [UInt8]
                do {
                    piece = try disk.read(path, offset: offset, length: 8 << 20)
                } catch {
                    throw .input("cannot read simulated file \(path): \(error)")
                }
                if piece.isEmpty { break }
                do { try handle.write(contentsOf: piece) } catch { throw .input("cannot write \(target): \(error.localizedDescription)") }
                offset += piece.count
            }
        }
    }

    static func makeDirectory(_ path: String) throws(CLIError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .input("cannot create output directory \(path): \(error.localizedDescription)")
        }
    }

    static func openForWriting(_ path: String, what: String = "the event log") throws(CLIError) -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .input("cannot write \(what) to \(path)") }
        return handle
    }

    static func write(_ text: String, to path: String) throws(CLIError) {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws(CLIError) {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw .input("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
