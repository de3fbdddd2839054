import Chaos
import Foundation
import Platform
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `opsim collect` as a child process against the mock broker served by the test on loopback.
@Suite struct CollectCommandTests {
    /// A running `opsim collect` with its output going to files (a pipe could fill and block it).
    final class Child {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ arguments: [String], logDirectory: String, label: String) throws {
            stdoutPath = logDirectory + "/\(label).out"
            stderrPath = logDirectory + "/\(label).err"
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = CLITests.binary
            process.arguments = arguments
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        func finish() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func arguments(broker: MockBrokerServer, directory: String, extra: [String] = []) -> [String] {
        let offset = Double(broker.clock.offset.wholeNanoseconds) / 1e9
        return ["collect", "--broker-url", broker.url, "--api-key", broker.apiKey, "--api-secret", "opsim_secret",
                "--out", directory, "--interval", "200ms", "--rate", "10", "--strikes", "10",
                "--clock-offset", String(offset), "--status-every", "0", "--seed", "1"] + extra
    }

    static func storedRows(_ directory: String) -> Int {
        LiveSupport.csvFiles(in: directory).reduce(0) { $0 + LiveSupport.check($1.bytes).rows.count }
    }

    @Test("kill -9 at seeded random moments and restarts leave CSVs that parse, with no duplicate keys and no torn lines")
    func killNine() throws {
        let broker = try MockBrokerServer(seed: 5, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 10)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("kill9")
        let logs = LiveSupport.temporaryDirectory("kill9-logs")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: logs)
        }
        var random = SplitMix64(seed: 2026)
        var rowsAfterKill: [Int] = []
        for round in 0..<5 {
            let child = try Child(Self.arguments(broker: broker, directory: directory), logDirectory: logs, label: "run\(round)")
            // Once it has opened the store (the first run also stored something), kill it at a random moment:
            // some rounds die while logging in, others mid-collection.
            LiveSupport.waitUntil { child.stdout.contains("opsim collect: broker") }
            if round == 0 { LiveSupport.waitUntil { Self.storedRows(directory) > 0 } }
            Thread.sleep(forTimeInterval: Double(random.next(below: 1_500)) / 1000)
            child.signal(SIGKILL)
            #expect(child.finish() == SIGKILL)  // Foundation reports the signal number for a signalled child
            rowsAfterKill.append(Self.storedRows(directory))
        }
        // A crash inside a write() leaves a torn line; make one, so recovery must cut it.
        let file = directory + "/2026-11-25/NIFTY.csv"
        #expect(FileManager.default.fileExists(atPath: file))
        let torn = Array("2026-11-25T09:2".utf8)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data(torn))
        try handle.close()

        let last = try Child(Self.arguments(broker: broker, directory: directory), logDirectory: logs, label: "final")
        let before = rowsAfterKill.last ?? 0
        LiveSupport.waitUntil { Self.storedRows(directory) > before + 60 }
        last.signal(SIGTERM)
        #expect(last.finish() == 0)
        #expect(last.stdout.contains("cut \(torn.count) torn bytes"))
        #expect(last.stdout.contains("stopped cleanly"))

        let files = LiveSupport.csvFiles(in: directory)
        #expect(files.map(\.path) == ["2026-11-25/NIFTY.csv"])
        for (path, bytes) in files {
            let check = LiveSupport.check(bytes)
            #expect(check.problems.isEmpty, "\(path): \(check.problems.prefix(5))")
            #expect(check.rows.count > before)
            // Snapshots only move forward in time, restart after restart.
            let times = check.rows.map(\.collectedAt)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(rowsAfterKill == rowsAfterKill.sorted())  // nothing a later run did removed synced rows
    }

    @Test("a second collector on the same directory fails fast with the lock message and exit 2")
    func secondCollectorIsLockedOut() throws {
        let broker = try MockBrokerServer(seed: 6, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 10)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("lock")
        let logs = LiveSupport.temporaryDirectory("lock-logs")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: logs)
        }
        let first = try Child(Self.arguments(broker: broker, directory: directory, extra: ["--status-every", "200ms"]),
                              logDirectory: logs, label: "first")
        #expect(LiveSupport.waitUntil { first.stdout.contains("opsim collect: broker") })
        let second = try Child(Self.arguments(broker: broker, directory: directory), logDirectory: logs, label: "second")
        #expect(second.finish() == 2)
        #expect(second.stderr.contains("is locked by another writer (pid \(first.process.processIdentifier))"))
        // Meanwhile the first one prints status lines: counters and health.
        #expect(LiveSupport.waitUntil { first.stdout.contains("collecting: snapshots") && first.stdout.contains("health ok") })
        first.signal(SIGTERM)
        #expect(first.finish() == 0)
    }

    @Test("a rejected access token stops the collector with a message saying what to do, exit 2")
    func rejectedToken() throws {
        let broker = try MockBrokerServer(seed: 7, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 10)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("token")
        let logs = LiveSupport.temporaryDirectory("token-logs")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: logs)
        }
        var arguments = Self.arguments(broker: broker, directory: directory)
        let secret = try #require(arguments.firstIndex(of: "--api-secret"))
        arguments[secret] = "--access-token"
        arguments[secret + 1] = "not-a-token"
        let child = try Child(arguments, logDirectory: logs, label: "token")
        #expect(child.finish() == 2)
        #expect(child.stderr.contains("rejected the access token"))
        #expect(child.stderr.contains("--access-token"))
    }

    @Test("a wrong API secret ends the collector after a few refused logins, exit 2, naming the flags to check")
    func wrongSecret() throws {
        let broker = try MockBrokerServer(seed: 8, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 10)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("secret")
        let logs = LiveSupport.temporaryDirectory("secret-logs")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: logs)
        }
        var arguments = Self.arguments(broker: broker, directory: directory)
        let secret = try #require(arguments.firstIndex(of: "--api-secret"))
        arguments[secret + 1] = "wrong"
        let child = try Child(arguments, logDirectory: logs, label: "secret")
        #expect(child.finish() == 2)
        #expect(child.stderr.contains("refused 4 logins in a row"))
        #expect(child.stderr.contains("--api-secret"))
    }

    @Test("bad flags get a message and exit 2, before anything is locked or sent",
          arguments: [
              (["--api-key", "k", "--api-secret", "s", "--out", "/tmp/x"], "needs --broker-url"),
              (["--broker-url", "https://api.kite.trade", "--api-key", "k", "--api-secret", "s", "--out", "/tmp/x"], "https is not supported"),
              (["--broker-url", "http://127.0.0.1:1", "--api-key", "k", "--api-secret", "s", "--access-token", "t", "--out", "/tmp/x"], "not both"),
              (["--broker-url", "http://127.0.0.1:1", "--api-key", "k", "--out", "/tmp/x"], "needs --access-token"),
              (["--broker-url", "http://127.0.0.1:1", "--api-key", "k", "--api-secret", "s"], "needs --out"),
              (["--broker-url", "http://127.0.0.1:1", "--api-key", "k", "--api-secret", "s", "--out", "/tmp/x", "--interval", "10ms"], "at least"),
              (["--broker-url", "http://127.0.0.1:1", "--api-key", "k", "--api-secret", "s", "--out", "/tmp/x", "--indices", "NIFTY,FOO"], "unknown index 'FOO'"),
              (["--broker-url", "http://example.com", "--api-key", "k", "--api-secret", "s", "--out", "/tmp/x"], "not an IPv4 address"),
          ])
    func badFlags(arguments: [String], message: String) throws {
        let result = try CLITests().opsim(["collect"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
    }
}
