import Foundation
import Platform
import Testing

/// `opsim serve`: flag errors, a clean stop on SIGTERM, and the official Python client against it.
@Suite(.serialized) struct ServeCommandTests {
    /// True when `python3` can import the official `kiteconnect` client (else the acceptance test is skipped).
    static let kiteconnectAvailable = pythonCanImport("kiteconnect, requests")

    /// True when `python3 -c "import MODULES"` succeeds (the checks that need them are skipped otherwise).
    static func pythonCanImport(_ modules: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(modules)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// A running `opsim serve` on a free port; `stop()` always ends it.
    final class Server {
        let process = Process()
        let output = Pipe()
        /// Standard error when kept apart from standard output (the JSON-lines log).
        let errors: Pipe?
        private(set) var banner = ""

        init(_ arguments: [String], separateErrors: Bool = false) throws {
            errors = separateErrors ? Pipe() : nil
            process.executableURL = CLITests.binary
            process.arguments = ["serve", "--broker-port", "0"] + arguments
            process.standardOutput = output
            process.standardError = errors ?? output
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
        ["serve", "--broker-port", "0", "--scenario", "/nonexistent/scenario.json"],
    ])
    func badFlags(_ arguments: [String]) throws {
        let result = try CLITests().opsim(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("opsim: "))
    }

    @Test("serve --scenario starts at the scenario's start with its seed and names its market events in the banner")
    func scenarioDefaults() throws {
        let file = CLITests.repositoryRoot.appendingPathComponent("Scenarios/market-shock.json").path
        let server = try Server(["--scenario", file])
        #expect(server.field("virtual now")?.hasPrefix("2026-11-25T10:00:00") == true, "\(server.banner)")
        let line = server.field("scenario") ?? ""
        #expect(line.hasPrefix("market-shock: seed 4242; market events ") && line.contains("10:02:00 NIFTY jump -4.0%"), "\(line)")
        #expect(server.stop().status == 0)
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

extension ServeCommandTests {
    /// GET `url` (http://127.0.0.1:PORT/…) with an optional API key, using opsim's own client.
    static func get(_ url: String, key: String? = nil) -> (status: Int, body: String)? {
        let rest = url.dropFirst("http://".count)
        guard let slash = rest.firstIndex(of: "/"), let colon = rest.firstIndex(of: ":"),
              let port = Int(rest[rest.index(after: colon)..<slash])
        else { return nil }
        var headers = HTTPHeaders()
        if let key { headers.add(name: "X-API-Key", value: key) }
        guard let response = try? HTTPClient().get(String(rest[slash...]), host: String(rest[..<colon]), port: port, headers: headers)
        else { return nil }
        return (response.status.code, String(decoding: response.body, as: UTF8.self))
    }

    @Test("serve --port runs the platform: the collector fills the store and the API serves chains with IV, readiness and metrics")
    func platformLive() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--port", "0", "--data-dir", data,
                                 "--demo-key", "test-key", "--strikes", "3"])
        defer { server.stop() }
        let api = try #require(server.field("API")?.split(separator: " ").first.map(String.init), "no API URL in:\n\(server.banner)")
        let base = api.replacingOccurrences(of: "/v1/indices", with: "")
        #expect(Self.get(base + "/health")?.status == 200)
        #expect(Self.get(base + "/v1/indices")?.status == 401)  // no key
        var chain: (status: Int, body: String)?
        for _ in 0..<60 {  // the collector logs in, discovers and stores its first snapshot within seconds
            chain = Self.get(base + "/v1/chain/NIFTY?strikes=1", key: "test-key")
            if chain?.status == 200 { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(chain?.status == 200, "chain never became available: \(chain?.body ?? "no answer")")
        #expect(chain?.body.contains("\"iv\":0.") == true)
        #expect(Self.get(base + "/ready")?.status == 200)
        let metrics = Self.get(base + "/metrics")?.body ?? ""
        #expect(metrics.contains("opsim_collector_snapshots_total"))
        #expect(Self.get(base + "/openapi.json")?.body.contains("\"openapi\":\"3.1.0\"") == true)
        let (status, _) = server.stop()
        #expect(status == 0)
        let csv = try String(contentsOfFile: data + "/2026-11-25/NIFTY.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count > 1)
    }
}

extension ServeCommandTests {
    static let websocketsAvailable = pythonCanImport("websockets")

    @Test("WS /v1/stream refuses a wrong key and streams chains with linked sequence numbers (Scripts/stream_check.py)",
          .enabled(if: ServeCommandTests.websocketsAvailable, "python3 with websockets is not installed"))
    func stream() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-stream-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--port", "0", "--data-dir", data,
                                 "--demo-key", "stream-key", "--strikes", "2"])
        defer { server.stop() }
        let api = try #require(server.field("API")?.split(separator: " ").first.map(String.init))
        let url = api.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "/v1/indices", with: "/v1/stream")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", CLITests.repositoryRoot.appendingPathComponent("Scripts/stream_check.py").path,
                            "--url", url, "--key", "stream-key"]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = output
        try python.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if python.isRunning { python.terminate() } }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "stream_check.py:\n\(text)")
    }
}
