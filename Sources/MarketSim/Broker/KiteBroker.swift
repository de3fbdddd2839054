/// A Kite Connect v3–compatible broker over a `BrokerMarket`, answering requests in virtual time.
///
/// How this works: `handle(_:at:)` is the one entry point. It takes a framed HTTP request and the
/// virtual instant it arrives, and returns the response with the latency to deliver it after.
/// Each request gets a sequence number that keys every seeded decision (latency, injected
/// faults, partial or stale quotes). The order of checks is: route known → maintenance window →
/// version header → session → rate limit → injected fault → the route itself. The broker does
/// no I/O and reads no clock; the harness owns the socket or the in-memory link.
public struct KiteBroker<Market: BrokerMarket> {
    public let market: Market
    public var configuration: KiteBrokerConfiguration
    var sessions: KiteSessionBook
    var limiter: KiteRateLimiter
    let random: CounterRandom
    /// Requests handled so far; the index of every seeded decision.
    public private(set) var requestCount: UInt64 = 0
    var listing: KiteListing?
    /// The last quote call's keys resolved to tokens (see `resolveQuoteKeys`).
    var resolvedQuoteKeys: KiteResolvedQuoteKeys?

    public init(market: Market, configuration: KiteBrokerConfiguration) {
        self.market = market
        self.configuration = configuration
        sessions = KiteSessionBook(seed: configuration.seed)
        limiter = KiteRateLimiter(limits: configuration.profile.rateLimits)
        random = CounterRandom(seed: CounterRandom.mix(configuration.seed ^ 0x6B69_7465))
    }

    /// Answers one request arriving at `now`.
    public mutating func handle(_ request: KiteHTTPRequest, at now: KiteInstant) -> KiteHTTPResponse {
        let sequence = requestCount
        requestCount += 1
        var response = route(request, at: now, sequence: sequence)
        response.latencyNanoseconds = configuration.profile.latency.sample(random, index: sequence)
        return response
    }

    /// The listed instruments for the IST day of `now`, built once per day.
    mutating func listing(at now: KiteInstant) -> KiteListing {
        let date = now.istDate
        if let listing, listing.date == date { return listing }
        let fresh = KiteListing(date: date, instruments: market.instruments(on: date))
        listing = fresh
        return fresh
    }

    private mutating func route(_ request: KiteHTTPRequest, at now: KiteInstant, sequence: UInt64)
        -> KiteHTTPResponse
    {
        guard let endpoint = KiteEndpoint(method: request.method, path: request.path) else {
            let known = KiteEndpoint.knownPaths.contains { request.path == $0 || request.path.hasPrefix($0 + "/") }
            return known
                ? KiteError(.input, "Method \(request.method) not allowed on \(request.path)", httpStatus: 405).response
                : KiteError.routeNotFound(request.method, request.path).response
        }
        if endpoint == .login { return login(request, at: now) }
        if configuration.profile.maintenanceWindows.contains(where: { $0.contains(now) }) {
            return KiteError(.network, "Kite is under scheduled maintenance. Please try again later.").response
        }
        if configuration.requireVersionHeader, request.header("X-Kite-Version") != "3" {
            return KiteError(.input, "Missing or invalid `X-Kite-Version` header; send `X-Kite-Version: 3`.").response
        }
        switch endpoint {
        case .sessionToken: return createSession(request, at: now)
        case .logout: return logout(request, at: now)
        default: break
        }
        guard let credentials = KiteSessionBook.parseAuthorization(request.header("Authorization")),
            credentials.apiKey == configuration.apiKey
        else { return KiteError.invalidSession.response }
        if case .failure(let error) = sessions.session(
            apiKey: credentials.apiKey, accessToken: credentials.accessToken, at: now)
        {
            return error.response
        }
        if let waitNanoseconds = limiter.admit(apiKey: credentials.apiKey, family: endpoint.family, at: now) {
            var error = KiteError.tooManyRequests
            error.retryAfterSeconds = Int((waitNanoseconds + 999_999_999) / 1_000_000_000)
            return error.response
        }
        if let fault = configuration.profile.fault(random, sequence: sequence, family: endpoint.family) {
            return KiteError(fault.type, "Injected \(fault.type.rawValue) (simulated fault).",
                             httpStatus: fault.httpStatus).response
        }
        switch endpoint {
        case .profile: return profile()
        case .margins(let segment): return margins(segment: segment)
        case .instrumentsAll: return instruments(exchange: nil, at: now)
        case .instrumentsExchange(let exchange): return instruments(exchange: exchange, at: now)
        case .quote(let kind): return quote(request, kind: kind, at: now, sequence: sequence)
        case .historical(let token, let interval):
            return historical(request, token: token, interval: interval, at: now)
        case .login, .sessionToken, .logout: preconditionFailure("session endpoints are answered above")
        }
    }
}

/// The instruments listed on one day, indexed by `EXCHANGE:SYMBOL` and by token.
struct KiteListing {
    let date: KiteDate
    let instruments: [KiteInstrument]
    let byKey: KiteKeyTable
    let byToken: [UInt32: Int]

    init(date: KiteDate, instruments: [KiteInstrument]) {
        self.date = date
        self.instruments = instruments
        var byToken: [UInt32: Int] = [:]
        byToken.reserveCapacity(instruments.count)
        for (position, instrument) in instruments.enumerated() {
            byToken[instrument.instrumentToken] = position
        }
        self.byKey = KiteKeyTable(instruments.map(\.key))
        self.byToken = byToken
    }

    /// The instrument named by a quote key: `EXCHANGE:SYMBOL`, or a bare instrument token.
    func lookup(_ key: String) -> KiteInstrument? { token(of: key).flatMap { byToken[$0] }.map { instruments[$0] } }

    /// The instrument token a quote key names, without copying the instrument (the quote path's lookup).
    func token(of key: String) -> UInt32? {
        if let position = byKey.position(of: key) { return instruments[position].instrumentToken }
        if let token = UInt32(key), byToken[token] != nil { return token }
        return nil
    }
}

/// A broker over a thread-safe market can move between threads (the live server keeps it in a lock).
extension KiteBroker: Sendable where Market: Sendable {}
