import Foundation
import Testing

/// `opsim serve`: flag errors, a clean stop on SIGTERM, and the official Python client against it.
@Suite(.serialized) struct ServeCommandTests {
    /// True when `python3` can import the official `kiteconnect` client (else the acceptance test is skipped).
    static let kiteconnectAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import kiteconnect, requests"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// A running `opsim serve` on a free port; `stop()` always ends it.
    final class Server {
        let process = Process()
        let output = Pipe()
        private(set) var banner = ""

        init(_ arguments: [String]) throws {
            process.executableURL = CLITests.binary
            process.arguments = ["serve", "--broker-port", "0"] + arguments
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // Watchdog: whatever happens to the test, the server is gone after two minutes.
            let process = self.process
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if process.isRunning { process.terminate() } }
            while !banner.contains("Stop with Ctrl-C.") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }  // the server exited before printing its banner
                banner += String(decoding: chunk, as: UTF8.self)
            }
        }

        /// The value printed after `label` in the banner (e.g. "base URL").
        func field(_ label: String) -> String? {
            banner.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                .map { String($0.trimmingCharacters(in: .whitespaces).dropFirst(label.count)).trimmingCharacters(in: .whitespaces) }
        }

        /// Sends SIGTERM and waits; returns the exit status and the output after the banner.
        @discardableResult
        func stop() -> (status: Int32, rest: String) {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, rest)
        }
    }

    @Test("bad serve flags print a message and exit 2", arguments: [
        ["serve"], ["serve", "--broker-port", "http"], ["serve", "--broker-port", "70000"],
        ["serve", "--broker-port", "0", "--speed", "0"], ["serve", "--broker-port", "0", "--speed", "fast"],
        ["serve", "--broker-port", "0", "--at", "tomorrow"], ["serve", "--broker-port", "0", "--indices", "DOW"],
        ["serve", "--broker-port", "0", "--seed", "-1"], ["serve", "--broker-port", "0", "--bogus"],
        ["serve", "--broker-port", "0", "--at", "2031-01-01T10:00:00+05:30"],
    ])
    func badFlags(_ arguments: [String]) throws {
        let result = try CLITests().opsim(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("opsim: "))
    }

    @Test("serve prints the base URL, ticker URL and credentials, then stops cleanly on SIGTERM")
    func startsAndStops() throws {
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--api-key", "k1", "--api-secret", "s1"])
        let base = server.field("base URL") ?? ""
        #expect(base.hasPrefix("http://127.0.0.1:") && !base.hasSuffix(":0"))
        #expect(server.field("ticker URL") == base.replacingOccurrences(of: "http://", with: "ws://") + "/ws")
        #expect(server.field("api key") == "k1")
        #expect(server.field("api secret") == "s1")
        let (status, rest) = server.stop()
        #expect(status == 0)
        #expect(rest.contains("opsim serve: stopped"))
    }

    @Test(
        "the official kiteconnect client passes every step of Scripts/kiteconnect_check.py against opsim serve",
        .enabled(if: ServeCommandTests.kiteconnectAvailable, "python3 with kiteconnect is not installed"))
    func officialPythonClient() throws {
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--speed", "60"])
        defer { server.stop() }
        let base = try #require(server.field("base URL"), "no base URL in:\n\(server.banner)")
        let ticker = try #require(server.field("ticker URL"))
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", CLITests.repositoryRoot.appendingPathComponent("Scripts/kiteconnect_check.py").path,
            "--base-url", base, "--ticker-url", ticker, "--api-key", "opsim_key", "--api-secret", "opsim_secret",
        ]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = output
        try python.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + 100) { if python.isRunning { python.terminate() } }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "kiteconnect_check.py failed:\n\(text)")
        #expect(text.contains("PASS: 10/10 steps passed"), "\(text)")
        #expect(!text.contains("FAIL "), "\(text)")
    }
}
