import Foundation
import Testing

@testable import Platform

/// Fixed data for routing tests: one index, two expiries, a two-contract chain.
struct FixedData: PlatformDataSource {
    static let date = CivilDate(year: 2026, month: 11, day: 24)!
    static let at = ISO8601.instant(date, hour: 10, minute: 0)

    func indices() -> [IndexView] {
        [IndexView(symbol: "NIFTY", exchange: "NFO", lotSize: 75, strikeStepPaise: 5000, lastPaise: 2_412_345, lastUpdate: Self.at)]
    }

    func expiries(index: String) -> [ExpiryView]? {
        index == "NIFTY" ? [ExpiryView(date: CivilDate(year: 2026, month: 12, day: 1)!, bucket: "current_week")] : nil
    }

    func chain(index: String, expiry: CivilDate?, bucket: String?, strikes: Int?) throws(APIError) -> ChainView {
        guard index == "NIFTY" else { throw .notFound("unknown index \(index)") }
        let quote = QuoteRow(
            tradingsymbol: "NIFTY25D0124000CE", instrumentToken: 256_265, expiry: CivilDate(year: 2026, month: 12, day: 1)!,
            strikePaise: 2_400_000, optionType: .call, bidPaise: 18_005, askPaise: 18_050, ltpPaise: 18_020, bidQuantity: 75,
            askQuantity: 150, volume: 12_000, openInterest: 340_000, exchangeTime: Self.at)
        return ChainView(
            index: index, expiry: quote.expiry, collectedAt: Self.at, underlyingPaise: 2_412_345, forwardPaise: nil,
            atmStrikePaise: 2_410_000,
            rows: [ChainRowView(quote: quote, impliedVolatility: 0.1432, delta: 0.61, gamma: 0.0004, vega: 9.1, thetaPerDay: nil)])
    }

    func analytics(index: String) throws(APIError) -> [UInt8] { Array(#"{"index":"NIFTY","pcr_oi":0.93}"#.utf8) }
    func surface(index: String) throws(APIError) -> [UInt8] { Array(#"{"index":"NIFTY","expiries":[]}"#.utf8) }

    func history(index: String, query: HistoryQuery) throws(APIError) -> HistoryPage {
        HistoryPage(rows: [], nextCursor: query.cursor == nil ? "next" : nil)
    }

    func health(at now: Instant) -> HealthReport {
        HealthReport(at: now, components: [ComponentHealth(name: "collector", status: .down(reason: "broker unreachable"))])
    }

    func metricsText() -> String { "" }
}

@Suite struct APIRouterTests {
    static func router() -> APIRouter {
        APIRouter(
            routes: PlatformAPI.routes(data: FixedData()),
            keys: APIKeyStore(records: [APIKeyRecord(id: "demo", key: "demo-key", scopes: [.read], burst: 3, requestsPerSecond: 1)]),
            cors: CORSPolicy(allowedOrigins: ["http://localhost:5173"]))
    }

    func get(_ router: inout APIRouter, _ path: String, query: [QueryItem] = [], key: String? = "demo-key",
             headers: [HeaderField] = []) -> APIResponse {
        var all = headers
        if let key { all.append(HeaderField("X-API-Key", key)) }
        return router.handle(APIRequest(method: "GET", path: path, query: query, headers: all), at: FixedData.at)
    }

    func json(_ response: APIResponse) throws -> JSONValue { try JSONParser.parse(response.body) }

    @Test("the chain route returns snake_case JSON with prices as numbers and IV and Greeks")
    func chain() throws {
        var router = Self.router()
        let response = get(&router, "/v1/chain/NIFTY", query: [QueryItem("strikes", "10")])
        #expect(response.status == 200)
        let body = try json(response)
        #expect(body["collected_at"] == .string("2026-11-24T10:00:00+05:30"))
        guard case .array(let contracts) = body["contracts"] else { Issue.record("no contracts"); return }
        #expect(contracts[0]["bid"] == .number(JSONNumber(text: "180.05")))
        #expect(contracts[0]["iv"] == .number(JSONNumber(text: "0.1432")))
        #expect(contracts[0]["theta_per_day"] == .null)
        #expect(response.headers.contains(HeaderField("X-RateLimit-Limit", "3")))
    }

    @Test("bad parameters get 400 with a message naming the parameter", arguments: [
        ("strikes", "0"), ("strikes", "abc"), ("expiry", "2026-13-01"), ("bucket", "someday"),
    ])
    func badParameters(name: String, value: String) throws {
        var router = Self.router()
        let response = get(&router, "/v1/chain/NIFTY", query: [QueryItem(name, value)])
        #expect(response.status == 400)
        let body = try json(response)
        #expect(body["error_type"] == .string("bad_request"))
        guard case .string(let message) = body["message"] else { Issue.record("no message"); return }
        #expect(message.contains(name))
    }

    @Test("unknown paths are 404, wrong methods 405 with Allow, missing keys 401, unknown index 404")
    func errors() throws {
        var router = Self.router()
        #expect(get(&router, "/v2/nothing").status == 404)
        let post = router.handle(APIRequest(method: "POST", path: "/v1/indices", headers: [HeaderField("X-API-Key", "demo-key")]), at: FixedData.at)
        #expect(post.status == 405)
        #expect(post.headers.contains(HeaderField("Allow", "GET")))
        #expect(get(&router, "/v1/indices", key: nil).status == 401)
        #expect(get(&router, "/v1/indices/DOW/expiries").status == 404)
        #expect(get(&router, "/health", key: nil).status == 200)
    }

    @Test("a burst beyond the key's limit gets 429 with Retry-After")
    func rateLimit() {
        var router = Self.router()
        let statuses = (0..<5).map { _ in get(&router, "/v1/indices").status }
        #expect(statuses == [200, 200, 200, 429, 429])
    }

    @Test("readiness is 503 with component detail when a component is down")
    func readiness() throws {
        var router = Self.router()
        let response = get(&router, "/ready", key: nil)
        #expect(response.status == 503)
        #expect(try json(response)["status"] == .string("down"))
    }

    @Test("CORS headers appear only for the allowed origin, and preflight is answered")
    func cors() {
        var router = Self.router()
        let allowed = get(&router, "/health", key: nil, headers: [HeaderField("Origin", "http://localhost:5173")])
        #expect(allowed.headers.contains(HeaderField("Access-Control-Allow-Origin", "http://localhost:5173")))
        let other = get(&router, "/health", key: nil, headers: [HeaderField("Origin", "http://evil.example")])
        #expect(!other.headers.contains { $0.name == "Access-Control-Allow-Origin" })
        let preflight = router.handle(APIRequest(method: "OPTIONS", path: "/v1/indices", headers: [
            HeaderField("Origin", "http://localhost:5173"), HeaderField("Access-Control-Request-Method", "GET"),
            HeaderField("Access-Control-Request-Headers", "X-API-Key"),
        ]), at: FixedData.at)
        #expect(preflight.status == 204)
    }

    @Test("the OpenAPI document lists every route and is valid JSON with the security scheme")
    func openAPI() throws {
        var router = Self.router()
        let response = get(&router, "/openapi.json", key: nil)
        let spec = try json(response)
        #expect(spec["openapi"] == .string("3.1.0"))
        guard case .object(let paths) = spec["paths"] else { Issue.record("no paths"); return }
        let documented = Set(paths.map(\.key))
        #expect(documented == Set(router.routes.map(\.template)))
    }

    static let validator = ["/root/.pyenv/shims/openapi-spec-validator", "/usr/local/bin/openapi-spec-validator", "/usr/bin/openapi-spec-validator"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    // Reported as skipped where the validator is absent (install: pip install openapi-spec-validator).
    @Test("openapi-spec-validator accepts the document", .enabled(if: validator != nil))
    func validateSpec() throws {
        var router = Self.router()
        let spec = get(&router, "/openapi.json", key: nil).body
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-openapi-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(spec).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.validator))
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "validator: \(text)")
    }

    @Test("the docs page is self-contained: no external scripts, styles or fonts")
    func docsPage() {
        var router = Self.router()
        let page = String(decoding: get(&router, "/docs", key: nil).body, as: UTF8.self)
        #expect(page.contains("/openapi.json"))
        #expect(!page.contains("http://") && !page.contains("https://"))
    }

    @Test("schema-valid odd inputs are answered, not rejected: TRACE gets 405, far-off years and offsets bound a range")
    func schemaValidEdges() {
        var router = Self.router()
        let trace = router.handle(APIRequest(method: "TRACE", path: "/health"), at: FixedData.at)
        #expect(trace.status == 405)
        let far = get(&router, "/v1/history/NIFTY", query: [
            QueryItem("from", "1150-10-09T15:05:06.083129+20:18"), QueryItem("to", "2026-11-25T10:00:00+05:30"),
        ])
        #expect(far.status == 200)
        let reversed = get(&router, "/v1/history/NIFTY", query: [
            QueryItem("from", "2026-11-25T10:00:00+05:30"), QueryItem("to", "2026-11-24T10:00:00+05:30"),
        ])
        #expect(reversed.status == 200)
        #expect(get(&router, "/v1/chain/NIFTY", query: [QueryItem("expiry", "2026-12-01"), QueryItem("bucket", "next_week")]).status == 200)
    }
}
