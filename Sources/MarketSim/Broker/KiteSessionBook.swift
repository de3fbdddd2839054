/// Request tokens and access tokens of the mock broker's login flow, in virtual time.
///
/// How this works: `/connect/login` issues a request token valid for `requestTokenLifetime` and
/// usable once. `POST /session/token` trades it, with the checksum, for an access token that
/// lives until the first 06:00 IST after login. A fresh login for the same API key ends the
/// previous session (as a login elsewhere does on Kite); logout ends it at once. Tokens are
/// drawn from `CounterRandom`, so a seed replays the same tokens.
public struct KiteSessionBook: Sendable {
    /// One live session.
    public struct Session: Sendable, Equatable {
        public var apiKey: String
        public var accessToken: String
        public var publicToken: String
        public var loginTime: KiteInstant
        public var expiresAt: KiteInstant
    }

    private let random: CounterRandom
    private var drawCount: UInt64 = 0
    /// Outstanding request tokens and their expiry; bounded by `requestTokensMax`.
    var requestTokens: [(token: String, expiresAt: KiteInstant)] = []
    /// Live sessions by access token.
    var sessions: [String: Session] = [:]
    /// The live access token of each API key.
    var activeByKey: [String: String] = [:]
    static let requestTokensMax = 64
    static let tokenStream = CounterRandom.stream("broker/session-tokens")

    public init(seed: UInt64) { random = CounterRandom(seed: seed) }

    /// The first 06:00 IST strictly after `login`: when Kite's access tokens die.
    public static func expiry(afterLogin login: KiteInstant) -> KiteInstant {
        let sameDay = KiteInstant(ist: login.istDate, hour: 6, minute: 0)
        return sameDay > login ? sameDay : KiteInstant(ist: login.istDate.adding(days: 1), hour: 6, minute: 0)
    }

    /// 32 lower-case hex characters, the next draw of the token stream.
    private mutating func nextToken() -> String {
        let (a, b) = random.words(stream: KiteSessionBook.tokenStream, index: drawCount)
        drawCount += 1
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for word in [a, b] {
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int(word >> UInt64(shift) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Issues a single-use request token valid for `lifetimeNanoseconds` from `now`.
    public mutating func issueRequestToken(at now: KiteInstant, lifetimeNanoseconds: Int64) -> String {
        requestTokens.removeAll { $0.expiresAt <= now }
        if requestTokens.count >= KiteSessionBook.requestTokensMax { requestTokens.removeFirst() }
        let token = nextToken()
        requestTokens.append((token, now.adding(nanoseconds: lifetimeNanoseconds)))
        return token
    }

    /// Consumes `requestToken` and opens a session for `apiKey`, or explains why not.
    public mutating func openSession(apiKey: String, requestToken: String, at now: KiteInstant)
        -> Result<Session, KiteError>
    {
        guard let position = requestTokens.firstIndex(where: { $0.token == requestToken }) else {
            return .failure(KiteError(.token, "Token is invalid or has expired."))
        }
        let entry = requestTokens.remove(at: position)
        guard now < entry.expiresAt else { return .failure(KiteError(.token, "Token is invalid or has expired.")) }
        if let previous = activeByKey[apiKey] { sessions[previous] = nil }
        let session = Session(apiKey: apiKey, accessToken: nextToken(), publicToken: nextToken(),
                              loginTime: now, expiresAt: KiteSessionBook.expiry(afterLogin: now))
        sessions[session.accessToken] = session
        activeByKey[apiKey] = session.accessToken
        return .success(session)
    }

    /// The live session for `apiKey` and `accessToken` at `now`, or a TokenException.
    public func session(apiKey: String, accessToken: String, at now: KiteInstant) -> Result<Session, KiteError> {
        guard let session = sessions[accessToken], session.apiKey == apiKey else {
            return .failure(.invalidSession)
        }
        guard now < session.expiresAt else {
            return .failure(KiteError(.token, "Token is invalid or has expired."))
        }
        return .success(session)
    }

    /// Ends the session of `accessToken`; true when one was live.
    @discardableResult
    public mutating func close(apiKey: String, accessToken: String) -> Bool {
        guard let session = sessions[accessToken], session.apiKey == apiKey else { return false }
        sessions[accessToken] = nil
        if activeByKey[apiKey] == accessToken { activeByKey[apiKey] = nil }
        return true
    }

    /// Reads `Authorization: token <api_key>:<access_token>` into its two parts.
    public static func parseAuthorization(_ value: String?) -> (apiKey: String, accessToken: String)? {
        guard let value, value.hasPrefix("token ") else { return nil }
        let credentials = value.dropFirst(6)
        guard let colon = credentials.firstIndex(of: ":") else { return nil }
        let apiKey = String(credentials[..<colon])
        let accessToken = String(credentials[credentials.index(after: colon)...])
        guard !apiKey.isEmpty, !accessToken.isEmpty else { return nil }
        return (apiKey, accessToken)
    }
}
