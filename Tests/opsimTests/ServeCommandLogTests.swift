import Foundation
import Platform
import Testing

extension ServeCommandTests {
    @Test("serve logs JSON lines on stderr: startup, the collector's login, API access with the key's id (never the key), a synced stop")
    func jsonLogs() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-logs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--port", "0", "--data-dir", data,
                                 "--demo-key", "log-test-key", "--strikes", "2"], separateErrors: true)
        defer { server.stop() }
        let api = try #require(server.field("API")?.split(separator: " ").first.map(String.init), "no API URL in:\n\(server.banner)")
        let base = api.replacingOccurrences(of: "/v1/indices", with: "")
        #expect(Self.get(base + "/v1/indices")?.status == 401)
        var chain: Int?
        for _ in 0..<60 {
            chain = Self.get(base + "/v1/chain/NIFTY?strikes=1", key: "log-test-key")?.status
            if chain == 200 { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(chain == 200)
        let (status, rest) = server.stop()
        #expect(status == 0)
        #expect(rest.contains("opsim serve: stopped"))
        let log = String(decoding: try #require(server.errors).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!log.contains("log-test-key"), "the key itself must never be logged")
        var events: [JSONValue] = []
        for line in log.split(separator: "\n") {
            let event = try JSONParser.parse(Array(line.utf8))
            guard case .string(let at) = event["at"] else { Issue.record("no at in \(line)"); continue }
            #expect(at.hasSuffix("+05:30") && ISO8601.parse(at) != nil, "\(line)")
            events.append(event)
        }
        func kind(_ event: JSONValue) -> String { if case .string(let kind)? = event["kind"] { return kind } else { return "" } }
        // Lines are in time order: collector events held while the banner printed come first.
        let started = events.first { kind($0) == "started" }
        #expect(started?["component"] == .string("serve"))
        #expect(started?["api_url"] == .string(base))
        #expect(events.last.map(kind) == "stopped")
        #expect(events.last?["synced"] == .bool(true))
        #expect(events.contains { kind($0) == "logged_in" && $0["component"] == .string("collector") })
        #expect(events.contains { kind($0) == "snapshot_stored" })
        let access = events.filter { kind($0) == "access" }
        #expect(access.contains { $0["status"] == .number(JSONNumber(text: "401")) && $0["key_id"] == nil })
        #expect(access.contains { $0["status"] == .number(JSONNumber(text: "200")) && $0["key_id"] == .string("demo")
            && $0["route"] == .string("/v1/chain/{index}") && $0["duration_ms"] != nil })
    }

    @Test("--log-format text writes readable lines, and an unknown format is a usage error")
    func textLogs() throws {
        let bad = try CLITests().opsim(["serve", "--broker-port", "0", "--log-format", "xml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--log-format"))
        let server = try Server(["--indices", "NIFTY", "--at", "2026-11-25T10:00:00+05:30", "--log-format", "text"], separateErrors: true)
        let (status, _) = server.stop()
        #expect(status == 0)
        let log = String(decoding: try #require(server.errors).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = log.split(separator: "\n")
        #expect(lines.first?.contains(" serve started broker_url=http://127.0.0.1:") == true, "\(log)")
        #expect(lines.last?.contains(" serve stopped") == true, "\(log)")
    }
}
