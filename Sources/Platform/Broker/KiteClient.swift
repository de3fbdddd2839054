/// The Kite Connect v3 implementation of `BrokerClient`: headers, auth, routes and parsing.
///
/// Request building checks the session locally first: no session gives `.notLoggedIn`, and a
/// session past its 06:00 IST expiry gives `.sessionExpired` without spending a request.
public struct KiteClient: BrokerClient {
    public let apiKey: String
    public let apiSecret: String
    public private(set) var session: BrokerSession? { didSet { sessionHeaders = makeSessionHeaders() } }
    /// Sent as `User-Agent`.
    public var userAgent = "opsim-collector/1" { didSet { sessionHeaders = makeSessionHeaders() } }
    /// `baseHeaders` and the session's `Authorization`, built when either changes rather than per
    /// request (a collector sends one every second); empty without a session.
    private var sessionHeaders: [HeaderField] = []
    /// What `parseQuoteTops` remembers of each key's tape between responses (speed only, never results).
    let tapeMemo = QuoteTapeMemoBox()

    public init(apiKey: String, apiSecret: String, session: BrokerSession? = nil) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.session = session
        sessionHeaders = makeSessionHeaders()
    }

    /// Lower-case hex SHA-256 of `api_key + request_token + api_secret`, as Kite checks it.
    public static func checksum(_ text: String) -> String { SHA256.hash(Array(text.utf8)).hexString }

    var baseHeaders: [HeaderField] { [HeaderField("X-Kite-Version", "3"), HeaderField("User-Agent", userAgent)] }

    func authorizedHeaders(at now: Instant) throws(BrokerError) -> [HeaderField] {
        guard let session else { throw .notLoggedIn }
        guard now < session.expiresAt else { throw .sessionExpired(expiredAt: session.expiresAt) }
        return sessionHeaders
    }

    private func makeSessionHeaders() -> [HeaderField] {
        guard let session else { return [] }
        return baseHeaders + [HeaderField("Authorization", "token \(apiKey):\(session.accessToken)")]
    }

    public func sessionRequest(requestToken: String) -> BrokerRequest {
        let checksum = KiteClient.checksum(apiKey + requestToken + apiSecret)
        let body = "api_key=\(KiteClient.formEncode(apiKey))&request_token=\(KiteClient.formEncode(requestToken))"
            + "&checksum=\(checksum)"
        return BrokerRequest(
            method: "POST", path: "/session/token",
            headers: baseHeaders + [HeaderField("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8))
    }

    public mutating func acceptSession(_ response: BrokerResponse) throws(BrokerError) -> BrokerSession {
        let data = try KiteClient.successData(response)
        guard case .string(let accessToken)? = data["access_token"], !accessToken.isEmpty else {
            throw .malformedResponse(reason: "session data has no `access_token` string", httpStatus: response.status)
        }
        guard case .string(let loginText)? = data["login_time"], let login = KiteClient.parseIST19(loginText) else {
            throw .malformedResponse(reason: "session data has no 19-character `login_time`", httpStatus: response.status)
        }
        var userID = ""
        if case .string(let id)? = data["user_id"] { userID = id }
        let fresh = BrokerSession(userID: userID, accessToken: accessToken, loginTime: login,
                                  expiresAt: BrokerSession.expiry(afterLogin: login))
        session = fresh
        return fresh
    }

    public mutating func dropSession() { session = nil }

    /// `DELETE /session/token?api_key=…&access_token=…`; parse with `parseLogout`.
    public func logoutRequest() throws(BrokerError) -> BrokerRequest {
        guard let session else { throw .notLoggedIn }
        return BrokerRequest(method: "DELETE", path: "/session/token",
                             query: [QueryItem("api_key", apiKey), QueryItem("access_token", session.accessToken)],
                             headers: baseHeaders)
    }

    /// True when the broker confirmed the logout.
    public func parseLogout(_ response: BrokerResponse) throws(BrokerError) -> Bool {
        try KiteClient.successData(response) == .bool(true)
    }

    public func instrumentsRequest(exchange: String?, at now: Instant) throws(BrokerError) -> BrokerRequest {
        BrokerRequest(method: "GET", path: exchange.map { "/instruments/\($0)" } ?? "/instruments",
                      headers: try authorizedHeaders(at: now))
    }

    public func parseInstruments(_ response: BrokerResponse) throws(BrokerError) -> [BrokerInstrument] {
        let type = response.header("Content-Type")
        guard let type, type.lowercased().contains("csv") else {
            if type?.lowercased().contains("json") == true { throw KiteClient.errorFromJSON(response) }
            throw .unexpectedContentType(type, httpStatus: response.status)
        }
        return try KiteInstrumentsParser.parse(response.body, httpStatus: response.status)
    }

    public func quoteRequest(_ keys: [String], mode: BrokerQuoteMode, at now: Instant) throws(BrokerError)
        -> BrokerRequest
    {
        try quoteRequest(quoteQuery(keys, mode: mode), at: now)
    }

    /// Checks `keys` as `quoteRequest(_:mode:at:)` does and builds their query items once.
    public func quoteQuery(_ keys: [String], mode: BrokerQuoteMode) throws(BrokerError) -> QuoteQuery {
        guard !keys.isEmpty else { throw .invalidRequest(reason: "a quote call needs at least one instrument") }
        guard keys.count <= mode.instrumentsMax else {
            throw .invalidRequest(reason: "\(keys.count) instruments in one \(mode.path) call; Kite allows \(mode.instrumentsMax)")
        }
        return QuoteQuery(keys: keys, mode: mode,
                          template: BrokerRequest(method: "GET", path: mode.path, query: keys.map { QueryItem("i", $0) }))
    }

    /// The prepared query's request with this call's headers: the same query array every time.
    public func quoteRequest(_ query: QuoteQuery, at now: Instant) throws(BrokerError) -> BrokerRequest {
        guard var request = query.template else { return try quoteRequest(quoteQuery(query.keys, mode: query.mode), at: now) }
        request.headers = try authorizedHeaders(at: now)
        return request
    }

    public func parseQuotes(_ response: BrokerResponse) throws(BrokerError) -> [BrokerQuote] {
        try KiteClient.requireJSON(response)
        switch try KiteQuoteDecoder.decode(response.body, httpStatus: response.status) {
        case .quotes(let quotes): return quotes
        case .notSuccess: throw KiteClient.errorFromJSON(response)
        }
    }

    /// Decodes straight into tops (no key strings, no depth arrays); same acceptance and errors as `parseQuotes`.
    public func parseQuoteTops(_ response: BrokerResponse, keys: QuoteKeyIndex, expectedFirst: Int) throws(BrokerError)
        -> MatchedQuotes
    {
        try KiteClient.requireJSON(response)
        var memo = tapeMemo.take()
        defer { tapeMemo.put(memo) }
        memo.prepare(keys: keys.keys.count)
        switch try KiteQuoteDecoder.decodeTops(response.body, httpStatus: response.status, keys: keys,
                                               expectedFirst: expectedFirst, memo: &memo) {
        case .quotes(let matched): return matched
        case .notSuccess: throw KiteClient.errorFromJSON(response)
        }
    }

    public func historicalRequest(token: UInt32, interval: String, from: Instant, to: Instant, oi: Bool,
                                  at now: Instant) throws(BrokerError) -> BrokerRequest
    {
        BrokerRequest(
            method: "GET", path: "/instruments/historical/\(token)/\(interval)",
            query: [QueryItem("from", KiteClient.formatIST19(from)), QueryItem("to", KiteClient.formatIST19(to)),
                    QueryItem("interval", interval), QueryItem("continuous", "0"), QueryItem("oi", oi ? "1" : "0")],
            headers: try authorizedHeaders(at: now))
    }

    public func parseCandles(_ response: BrokerResponse) throws(BrokerError) -> [BrokerCandle] {
        try KiteCandleParser.parse(try KiteClient.successData(response), httpStatus: response.status)
    }

    public func profileRequest(at now: Instant) throws(BrokerError) -> BrokerRequest {
        BrokerRequest(method: "GET", path: "/user/profile", headers: try authorizedHeaders(at: now))
    }

    public func parseProfile(_ response: BrokerResponse) throws(BrokerError) -> String {
        guard case .string(let userID)? = try KiteClient.successData(response)["user_id"] else {
            throw .malformedResponse(reason: "profile has no `user_id` string", httpStatus: response.status)
        }
        return userID
    }
}
