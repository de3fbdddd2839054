import Chaos
import Foundation
import Platform

/// `opsim run [SCENARIO] [--seed N] [--out DIR] [--log FILE]`: run a scenario and summarise it.
enum RunCommand {
    static let command = Commands.Command(
        name: "run", summary: "run a scenario and print its digest",
        help: """
            Usage: opsim run [SCENARIO] [--seed N] [--until HH:MM] [--out DIR] [--log FILE] [--quiet]

            Runs SCENARIO (a JSON file; the built-in default when omitted) in virtual time and prints
            a summary: events, virtual span, wall time, speed-up over real time, and the run digest
            (SHA-256 of the event log). The same scenario and seed always give the same digest.
            The default scenario is a whole session (09:15-15:30); on a terminal a progress line
            on stderr shows the virtual time.

            Options:
              --seed N     override the scenario's seed (decimal or 0x-hex, below 2^64)
              --until T    end the run early at T (HH:MM or HH:MM:SS, IST) on the session's date;
                           the digest is then that of the shorter run
              --out DIR    write DIR/summary.json, DIR/events.jsonl (the event log), the stored CSVs
                           under DIR/data/ and DIR/report.html (invariants, counters, timelines of
                           snapshots, broker responses and latency with the scenario's fault windows
                           and market events, first failures; one self-contained page)
              --log FILE   write the event log (JSON lines) to FILE
              --quiet      print only the digest

            Exit status: 0 every invariant held, 1 an invariant was violated, 2 bad usage or input.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valueOptions: ["--seed", "--out", "--log", "--until"], flagOptions: ["--quiet"])
        guard parsed.positionals.count <= 1 else {
            throw .usage("run takes at most one scenario file, got \(parsed.positionals.count)")
        }
        let scenarioName = parsed.positionals.first ?? "built-in default"
        var scenario: Scenario
        do {
            scenario = try parsed.positionals.first.map(ScenarioDecoder.load(path:)) ?? Scenario.builtInDefault
        } catch {
            throw .input(error.description)
        }
        if let until = parsed.value("--until") { try cut(&scenario, at: until) }
        let seed = try parsed.uint64("--seed") ?? scenario.seed
        let outDirectory = parsed.value("--out")
        if let outDirectory { try makeDirectory(outDirectory) }
        let logPath = parsed.value("--log") ?? outDirectory.map { $0 + "/events.jsonl" }
        let logFile = try logPath.map { path throws(CLIError) in try openForWriting(path) }
        defer { try? logFile?.close() }

        let showProgress = isatty(STDERR_FILENO) == 1 && !parsed.has("--quiet")
        let clock = ContinuousClock()
        let started = clock.now
        // With --out, the report's timeline reads the log's bytes as they are written.
        let timeline = outDirectory.map { _ in TimelineBox(RunTimeline(start: scenario.start, end: scenario.end)) }
        let output: EventLog.Output? = logFile.map { file in
            { bytes in
                file.write(Data(bytes))
                timeline?.value.consume(bytes)
            }
        }
        let outcome = ScenarioRun.run(
            scenario, seed: seed, logOutput: output, exportFiles: outDirectory != nil,
            progress: showProgress ? progressLine(scenario) : nil)
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }  // clear the progress line
        let wall = clock.now - started
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        let summary = RunSummary(scenario: scenario.name, seed: seed, outcome: outcome, wallSeconds: wallSeconds)

        if let outDirectory {
            try write(summary.json, to: outDirectory + "/summary.json")
            if let disk = outcome.disk { try export(disk, to: outDirectory) }
            if let timeline {
                try write(RunReport.html(summary: summary, scenario: scenario, timeline: timeline.value), to: outDirectory + "/report.html")
            }
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
        if let outDirectory {
            lines.append("summary   \(outDirectory)/summary.json")
            lines.append("report    \(outDirectory)/report.html")
        }
        lines.append("digest    \(outcome.digest.hexString)")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, digits: Int = 0) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// Ends `scenario` at `text` (HH:MM or HH:MM:SS, IST), which must fall inside its span.
    static func cut(_ scenario: inout Scenario, at text: String) throws(CLIError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }),
              let hour = parts[0], let minute = parts[1], (0..<24).contains(hour), (0..<60).contains(minute),
              (0..<60).contains(parts.count == 3 ? parts[2]! : 0)
        else { throw .usage("--until wants HH:MM or HH:MM:SS (IST), got '\(text)'") }
        let second = hour * 3600 + minute * 60 + (parts.count == 3 ? parts[2]! : 0)
        guard second > scenario.startSecondOfDay, second <= scenario.endSecondOfDay else {
            throw .usage("--until \(text) is outside the scenario's span \(clock(scenario.startSecondOfDay))–\(clock(scenario.endSecondOfDay)); give a time after its start and no later than its end")
        }
        scenario.endSecondOfDay = second
    }

    static func clock(_ secondOfDay: Int) -> String { ScenarioDecoder.shortTime(secondOfDay) }

    /// A progress reporter that redraws one stderr line: virtual time and share of the span done.
    static func progressLine(_ scenario: Scenario) -> (Instant) -> Void {
        let span = Double((scenario.end - scenario.start).wholeNanoseconds)
        return { now in
            let done = Double((now - scenario.start).wholeNanoseconds) / span
            let text = "\r\u{1B}[K  \(clock(ISO8601.istSecondOfDay(of: now)))  \(Int((done * 100).rounded(.down)))% of \(scenario.name)"
            FileHandle.standardError.write(Data(text.utf8))
        }
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

/// The report's timeline, filled from inside the log's output closure.
final class TimelineBox {
    var value: RunTimeline
    init(_ value: RunTimeline) { self.value = value }
}
