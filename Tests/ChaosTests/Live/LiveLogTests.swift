import Foundation
import Glibc
import Platform
import Testing

@testable import Chaos

/// The live server's JSON-lines log and the access records the live API produces for it.
@Suite struct LiveLogTests {
    /// Runs `body` with a log on a pipe and returns what was written, line by line.
    static func lines(format: LiveLog.Format = .json, held: Bool = false, _ body: (LiveLog) -> Void) -> [String] {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0)
        let clock = WallClock.starting(at: ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 0))
        let log = LiveLog(format: format, descriptor: ends[1], clock: clock, held: held)
        body(log)
        close(ends[1])
        let text = String(decoding: FileHandle(fileDescriptor: ends[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    static func api(accessLog: @escaping @Sendable (LiveAPI.Access) -> Void) -> LiveAPI {
        let router = APIRouter(
            routes: [APIRoute("GET", "/v1/ping", scope: .read, operationID: "ping", summary: "Ping.", responseSchema: "Ping") { _, _, _ in
                .json(Array(#"{"pong":true}"#.utf8))
            }],
            keys: APIKeyStore(records: [APIKeyRecord(id: "alice", key: "secret-key-1", scopes: [.read], burst: 1, requestsPerSecond: 0.001)]),
            cors: CORSPolicy(allowedOrigins: []))
        return LiveAPI(router: router, clock: WallClock(), accessLog: accessLog)
    }

    @Test("every line is one JSON object with the time in ISO 8601 +05:30, component, kind and fields in order")
    func jsonLines() throws {
        let lines = Self.lines { log in
            log.record("serve", "started", [("api_url", .string("http://127.0.0.1:8000")), ("speed", .double(60))])
            log.record("collector", "batch_failed", [("error", .string("HTTP 503 \"busy\"\nretrying")), ("attempt", .int(2))])
        }
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONParser.parse(Array(line.utf8))
            guard case .string(let at) = object["at"] else { Issue.record("no at in \(line)"); continue }
            #expect(at.hasSuffix("+05:30") && at.hasPrefix("2026-11-25T10:00:"))
            #expect(ISO8601.parse(at) != nil)
        }
        let failed = try JSONParser.parse(Array(lines[1].utf8))
        #expect(failed["component"] == .string("collector") && failed["kind"] == .string("batch_failed"))
        #expect(failed["error"] == .string("HTTP 503 \"busy\"\nretrying"))
        #expect(lines[0].hasPrefix(#"{"t":"#) && lines[0].contains(#""component":"serve","kind":"started","api_url":"#))
    }

    @Test("a held log writes nothing until opened, then the held lines in order")
    func heldUntilOpen() throws {
        var pending = -1
        let lines = Self.lines(held: true) { log in
            log.record("collector", "logged_in")
            log.record("collector", "discovered")
            pending = log.heldLineCount
            log.open()
            log.record("api", "access")
        }
        #expect(pending == 2)
        let kinds = try lines.map { line -> JSONValue? in try JSONParser.parse(Array(line.utf8))["kind"] }
        #expect(kinds == [.string("logged_in"), .string("discovered"), .string("access")])
    }

    @Test("the access log has method, path, route, status, duration_ms and the key's id, never the key")
    func accessLines() throws {
        let records = LockedRecords()
        let api = Self.api { records.append($0) }
        let get = { (key: String?) in
            var headers = HTTPHeaders()
            if let key { headers.add(name: "X-API-Key", value: key) }
            return api.respond(to: HTTPRequest(method: .get, target: "/v1/ping?x=1", headers: headers)).status.code
        }
        let statuses: [Int] = [get("secret-key-1"), get("secret-key-1"), get(nil), get("wrong")]
        #expect(statuses == [200, 429, 401, 401])
        let access = records.all
        #expect(access.map(\.keyID) == ["alice", "alice", nil, nil])
        #expect(access.map(\.route) == Array(repeating: "/v1/ping", count: 4))
        #expect(access[0].path == "/v1/ping" && access[0].method == "GET" && access[0].bodyBytes == 13)
        let lines = Self.lines { log in access.forEach(log.access) }
        for line in lines {
            #expect(!line.contains("secret-key-1"))
            let object = try JSONParser.parse(Array(line.utf8))
            for field in ["method", "path", "route", "status", "duration_ms", "bytes"] { #expect(object[field] != nil, "\(field) in \(line)") }
        }
        #expect(try JSONParser.parse(Array(lines[1].utf8))["status"] == .number(JSONNumber(text: "429")))
        #expect(try JSONParser.parse(Array(lines[0].utf8))["key_id"] == .string("alice"))
        #expect(try JSONParser.parse(Array(lines[2].utf8))["key_id"] == nil)
    }

    @Test("the text format puts one event per line for reading in a terminal")
    func textFormat() {
        let lines = Self.lines(format: .text) { log in log.record("api", "access", [("path", .string("/v1/chain/NIFTY")), ("status", .int(200))]) }
        #expect(lines.count == 1)
        #expect(lines[0].hasSuffix(" api access path=/v1/chain/NIFTY status=200"))
        #expect(lines[0].hasPrefix("2026-11-25T10:00:"))
    }
}

/// Access records collected from the server's threads.
final class LockedRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [LiveAPI.Access] = []
    func append(_ record: LiveAPI.Access) { lock.lock(); records.append(record); lock.unlock() }
    var all: [LiveAPI.Access] { lock.lock(); defer { lock.unlock() }; return records }
}
