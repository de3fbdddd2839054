/// The platform's REST routes over a `PlatformDataSource`, with their OpenAPI documentation.
public enum PlatformAPI {
    public static let title = "opsim platform API"
    public static let version = "1.0.0"
    static let indexParameter = APIParameter("index", in: .path, description: "Index symbol, e.g. NIFTY.")

    /// The JSON body of `/v1/chain/{index}` for `chain` (also what the stream publishes).
    public static func chainJSON(_ chain: ChainView) -> [UInt8] { APIEncoding.chain(chain) }

    /// Every route: operational ones (health, ready, metrics, docs) and the `/v1` data routes.
    ///
    /// Chain bodies are cached in `chainCache` per request and `data.dataGeneration` (never when
    /// the source has no generation), so an unchanged store is analysed once, not per request.
    public static func routes(data: any PlatformDataSource, chainCache: ChainResponseCache = ChainResponseCache()) -> [APIRoute] {
        let docs = APIRoute(
            "GET", "/docs", scope: nil, operationID: "docs", summary: "Interactive documentation (HTML).",
            responseSchema: "HTML", contentType: "text/html") { _, _, _ in .text(DocsPage.html, contentType: "text/html; charset=utf-8") }
        func openAPI(_ spec: String) -> APIRoute {
            APIRoute("GET", "/openapi.json", scope: nil, operationID: "openapi", summary: "This OpenAPI 3.1 document.",
                     responseSchema: "OpenAPI") { _, _, _ in .text(spec, contentType: "application/json; charset=utf-8") }
        }
        var routes = operationalRoutes(data: data) + dataRoutes(data: data, chainCache: chainCache) + [docs]
        // The document describes itself too, so it is built over the full table, then served.
        let spec = OpenAPIDocument.json(routes: routes + [openAPI("")], schemas: APISchemas.all, title: title, version: version)
        routes.append(openAPI(spec))
        return routes
    }

    static func operationalRoutes(data: any PlatformDataSource) -> [APIRoute] {
        [
            APIRoute("GET", "/health", scope: nil, operationID: "health", summary: "Liveness: the server answers.",
                     responseSchema: "Liveness") { _, _, now in
                var json = JSONBuilder()
                json.object { $0.field("status", "ok"); $0.field("at", now.description) }
                return .json(json.bytes)
            },
            APIRoute("GET", "/ready", scope: nil, operationID: "ready",
                     summary: "Readiness with per-component detail; 503 when a component is down.",
                     responseSchema: "Health", errorStatuses: [503]) { _, _, now in
                let report = data.health(at: now)
                return .json(Array(report.json.utf8), status: report.isReady ? 200 : 503)
            },
            APIRoute("GET", "/metrics", scope: nil, operationID: "metrics", summary: "Prometheus metrics (text format 0.0.4).",
                     responseSchema: "Metrics", contentType: "text/plain") { _, _, _ in
                .text(data.metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            },
        ]
    }

    static func dataRoutes(data: any PlatformDataSource, chainCache: ChainResponseCache) -> [APIRoute] {
        [
            APIRoute("GET", "/v1/indices", scope: .read, operationID: "listIndices", summary: "Indices the platform collects.",
                     responseSchema: "IndexList") { _, _, _ in
                .json(APIEncoding.indices(data.indices()))
            },
            APIRoute("GET", "/v1/indices/{index}/expiries", scope: .read, operationID: "listExpiries",
                     summary: "Listed expiries of an index with their buckets.", parameters: [indexParameter],
                     responseSchema: "ExpiryList") { _, path, _ throws(APIError) in
                let index = path["index"] ?? ""
                guard let expiries = data.expiries(index: index) else { throw .notFound("unknown index \(index)") }
                return .json(APIEncoding.expiries(index: index, expiries))
            },
            APIRoute("GET", "/v1/chain/{index}", scope: .read, operationID: "getChain",
                     summary: "The latest chain with bid/ask/ltp/OI/volume and per-contract IV and Greeks.",
                     parameters: [
                        indexParameter,
                        APIParameter("expiry", in: .query, description: "Expiry date; default the nearest.", format: "date"),
                        APIParameter("bucket", in: .query, description: "Expiry bucket instead of a date (ignored when expiry is given).",
                                     allowed: ["current_week", "next_week", "current_month", "next_month"]),
                        APIParameter("strikes", in: .query, type: "integer", description: "Strikes either side of ATM (1-100).",
                                     minimum: 1, maximum: 100),
                     ],
                     responseSchema: "Chain") { request, path, _ throws(APIError) in
                let expiry = try APIQuery.date(request, "expiry")
                let strikes = try APIQuery.integer(request, "strikes", in: 1...100)
                let bucket = request.queryValue("bucket")
                if let bucket, !["current_week", "next_week", "current_month", "next_month"].contains(bucket) {
                    throw .badRequest("bucket must be current_week, next_week, current_month or next_month, got \(bucket)")
                }
                let key = ChainResponseCache.Key(index: path["index"] ?? "", expiry: expiry, bucket: bucket,
                                                 strikes: strikes.map(Int.init))
                return .json(try chainBody(key, data: data, cache: chainCache))
            },
            APIRoute("GET", "/v1/analytics/{index}", scope: .read, operationID: "getAnalytics",
                     summary: "PCR, max pain, ATM IV, skew, term structure, OI build-up and sentiment.",
                     parameters: [indexParameter], responseSchema: "Analytics") { _, path, _ throws(APIError) in
                .json(try data.analytics(index: path["index"] ?? ""))
            },
            APIRoute("GET", "/v1/surface/{index}", scope: .read, operationID: "getSurface",
                     summary: "The fitted volatility surface: parameters per expiry and a grid.",
                     parameters: [indexParameter], responseSchema: "Surface") { _, path, _ throws(APIError) in
                .json(try data.surface(index: path["index"] ?? ""))
            },
            APIRoute("GET", "/v1/history/{index}", scope: .read, operationID: "getHistory",
                     summary: "Stored snapshots in a time range, paginated with a cursor.",
                     parameters: [
                        indexParameter,
                        APIParameter("from", in: .query, required: true, description: "Start, ISO 8601.", format: "date-time"),
                        APIParameter("to", in: .query, required: true, description: "End, ISO 8601 (before from: an empty page).",
                                     format: "date-time"),
                        APIParameter("strike", in: .query, type: "number", description: "Only this strike (rupees).",
                                     exclusiveMinimum: 0),
                        APIParameter("type", in: .query, description: "Only calls or puts.", allowed: ["CE", "PE"]),
                        APIParameter("cursor", in: .query, description: "next_cursor from the previous page."),
                        APIParameter("limit", in: .query, type: "integer", description: "Rows per page (1-10000, default 1000).",
                                     minimum: 1, maximum: 10_000),
                     ],
                     responseSchema: "HistoryPage") { request, path, _ throws(APIError) in
                let query = try APIQuery.history(request)
                let index = path["index"] ?? ""
                return .json(APIEncoding.history(index: index, try data.history(index: index, query: query)))
            },
        ]
    }
}

extension PlatformAPI {
    /// The encoded chain for `key`, from `cache` when the data has not changed since it was encoded.
    static func chainBody(_ key: ChainResponseCache.Key, data: any PlatformDataSource, cache: ChainResponseCache)
        throws(APIError) -> [UInt8]
    {
        func compute() throws(APIError) -> [UInt8] {
            APIEncoding.chain(try data.chain(index: key.index, expiry: key.expiry, bucket: key.bucket, strikes: key.strikes))
        }
        // Read before computing: a snapshot landing meanwhile moves the generation past this entry.
        guard let generation = data.dataGeneration else { return try compute() }
        return try cache.body(for: key, generation: generation, compute: compute)
    }
}

/// Query-parameter parsing with 400 errors that name the parameter.
enum APIQuery {
    static func date(_ request: APIRequest, _ name: String) throws(APIError) -> CivilDate? {
        guard let text = request.queryValue(name) else { return nil }
        guard let date = CivilDate(iso: text) else { throw .badRequest("\(name) must be a date YYYY-MM-DD, got \(text)") }
        return date
    }

    static func instant(_ request: APIRequest, _ name: String) throws(APIError) -> Instant? {
        guard let text = request.queryValue(name) else { return nil }
        if let instant = ISO8601.parse(text) { return instant }
        // A valid date-time outside the representable span (1677–2262) bounds the range instead.
        if let year = Int(text.prefix(4)), text.count > 4, text.dropFirst(4).first == "-",
           ISO8601.parse("2000" + text.dropFirst(4)) != nil {
            return Instant(nanosecondsSinceEpoch: year < 2000 ? -9_000_000_000_000_000_000 : 9_000_000_000_000_000_000)
        }
        throw .badRequest("\(name) must be an ISO 8601 instant like 2026-11-24T09:15:00+05:30, got \(text)")
    }

    static func integer(_ request: APIRequest, _ name: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw .badRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return value
    }

    static func history(_ request: APIRequest) throws(APIError) -> HistoryQuery {
        guard let from = try instant(request, "from") else { throw .badRequest("from is required (ISO 8601)") }
        guard let to = try instant(request, "to") else { throw .badRequest("to is required (ISO 8601)") }
        var strike: Int64?
        if let text = request.queryValue("strike") {
            guard let rupees = Double(text), rupees.isFinite, rupees > 0, rupees < 1e12 else {
                throw .badRequest("strike must be a positive number of rupees, got \(text)")
            }
            strike = Int64((rupees * 100).rounded())  // a strike off the paise grid matches nothing
        }
        var type: OptionType?
        if let text = request.queryValue("type") {
            guard let parsed = OptionType(rawValue: text) else { throw .badRequest("type must be CE or PE, got \(text)") }
            type = parsed
        }
        let limit = try integer(request, "limit", in: 1...10_000) ?? 1000
        return HistoryQuery(from: from, to: to, strikePaise: strike, optionType: type, cursor: request.queryValue("cursor"), limit: Int(limit))
    }
}
