import Foundation
import Testing

/// End-to-end tests: run the built `opsim` binary and check its output and exit status.
@Suite struct CLITests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits in the same build products directory as the opsim executable.
        var directory = Bundle.main.bundleURL
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("opsim").path) {
            directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        }
        return directory.appendingPathComponent("opsim")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func opsim(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("opsim with options and no command runs the default scenario (a whole session, cut here by --until) and prints a 64-digit digest")
    func defaultRun() throws {
        let result = try opsim(["--until", "09:16"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("scenario  default (built-in default)"))
        #expect(result.stdout.contains("2026-11-25T09:15:00+05:30 → 2026-11-25T09:16:00+05:30 (60 s virtual)"))
        let digestLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("digest") }
        let digest = digestLine?.split(separator: " ").last.map(String.init) ?? ""
        #expect(digest.count == 64 && digest.allSatisfy(\.isHexDigit))
    }

    @Test("--until cuts the run to the same digest as a scenario that ends there, and rejects times outside the span")
    func untilCutsTheRun() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let smoke = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Scenarios/smoke.json"), encoding: .utf8)
        let shorter = directory.appendingPathComponent("smoke.json")
        try smoke.replacingOccurrences(of: "\"end\": \"10:01\"", with: "\"end\": \"10:00:30\"")
            .write(to: shorter, atomically: true, encoding: .utf8)
        let cut = try opsim(["run", "Scenarios/smoke.json", "--until", "10:00:30", "--quiet"])
        let ended = try opsim(["run", shorter.path, "--quiet"])
        #expect(cut.status == 0 && !cut.stdout.isEmpty)
        #expect(cut.stdout == ended.stdout)
        for bad in ["09:59", "10:02", "25:00", "10", "10:00:61"] {
            let result = try opsim(["run", "Scenarios/smoke.json", "--until", bad])
            #expect(result.status == 2, "--until \(bad)")
            #expect(result.stderr.contains("--until"), "--until \(bad): \(result.stderr)")
        }
    }

    @Test("the digest is the same with deterministic hashing on and off, and --seed changes it")
    func digestStable() throws {
        let plain = try opsim(["run", "Scenarios/smoke.json", "--quiet"])
        let deterministic = try opsim(["run", "Scenarios/smoke.json", "--quiet"], environment: ["SWIFT_DETERMINISTIC_HASHING": "1"])
        let seeded = try opsim(["run", "Scenarios/smoke.json", "--quiet", "--seed", "5"])
        #expect(plain.status == 0)
        #expect(plain.stdout == deterministic.stdout)
        #expect(plain.stdout != seeded.stdout)
    }

    @Test("run --out writes summary.json with the stable keys and the printed digest, the stored CSVs and report.html")
    func summaryFile() throws {
        let out = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try opsim(["run", "Scenarios/smoke.json", "--out", out.path])
        #expect(result.status == 0)
        let data = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        for key in ["scenario", "seed", "digest", "events", "virtual_seconds", "wall_seconds", "speedup", "invariants"] {
            #expect(summary[key] != nil, "summary.json lacks \(key)")
        }
        let digest = summary["digest"] as? String ?? ""
        #expect(result.stdout.contains("digest    \(digest)"))
        let log = try Data(contentsOf: out.appendingPathComponent("events.jsonl"))
        #expect(log.split(separator: UInt8(ascii: "\n")).count == summary["events"] as? Int)
        // The stored chain lands under DIR/data and parses row by row.
        let csv = try String(contentsOf: out.appendingPathComponent("data/2026-11-25/NIFTY.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first?.hasPrefix("collected_at,requested_at,exchange_time,index,tradingsymbol") == true)
        let platform = summary["platform"] as? [String: Any] ?? [:]
        #expect(rows.count - 1 == platform["rows_stored"] as? Int)
        // The HTML report names the run and its digest and draws its timelines.
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.hasPrefix("<!doctype html>") && report.contains(digest) && report.contains("snapshots_stored_exactly_once"))
        #expect(report.components(separatedBy: "<svg ").count - 1 >= 4)
        #expect(result.stdout.contains("report    \(out.path)/report.html"))
    }

    @Test("validate gives distinct messages naming the key path for each kind of error, exit 2")
    func validateErrors() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let valid = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Scenarios/opening-collection.json"), encoding: .utf8)
        let cases = [
            "type.json": valid.replacingOccurrences(of: "\"seed\": 20261125", with: "\"seed\": \"x\""),
            "missing.json": valid.replacingOccurrences(of: "\"date\": \"2026-11-25\", ", with: ""),
            "syntax.json": valid.replacingOccurrences(of: "\"seed\": 20261125,", with: "\"seed\": 20261125"),
        ]
        var messages: [String] = []
        for (name, text) in cases.sorted(by: { $0.key < $1.key }) {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try opsim(["validate", path])
            #expect(result.status == 2)
            #expect(result.stderr.contains(path))
            #expect(!result.stderr.contains("Fatal error"))
            messages.append(result.stderr)
        }
        #expect(messages[0].contains("missing key 'session.date'"))
        #expect(messages[1].contains("invalid JSON at line 6"))
        #expect(messages[2].contains("wrong type at 'seed'"))
        #expect(Set(messages).count == 3)
    }

    @Test("bad usage exits 2 with a message and no stack trace", arguments: [
        ["run", "--seed", "banana"], ["run", "--bogus"], ["frobnicate"], ["run", "a.json", "b.json"],
        ["run", "/nonexistent/scenario.json"], ["validate"],
    ])
    func badUsage(arguments: [String]) throws {
        let result = try opsim(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("opsim: ") || result.stderr.contains(": "))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("--help, help COMMAND and --version print and exit 0")
    func help() throws {
        #expect(try opsim(["--help"]).stdout.contains("Usage: opsim"))
        #expect(try opsim(["help", "run"]).stdout.contains("--seed N"))
        #expect(try opsim(["--version"]).stdout.hasPrefix("opsim "))
    }
}

extension CLITests {
    @Test("sweep prints one line per seed in seed order, the first matching 'run --seed'")
    func sweep() throws {
        let result = try opsim(["sweep", "Scenarios/opening-minutes.json", "--seeds", "3", "--from", "40", "--jobs", "2", "--verify-determinism"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("seed 40 ") && lines[1].hasPrefix("seed 41 ") && lines[2].hasPrefix("seed 42 "))
        #expect(lines[3] == "3 seeds, 3 ok, 0 failed")
        let single = try opsim(["run", "Scenarios/opening-minutes.json", "--seed", "40", "--quiet"])
        #expect(lines[0].contains(single.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try opsim(["sweep", "--seeds", "0"]).status == 2)
    }
}
