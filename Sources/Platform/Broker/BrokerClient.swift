/// The broker operations the collector uses, as pure request builders and response parsers.
///
/// Sans-IO: a builder returns a `BrokerRequest` for the transport port; when the response (or
/// a `TransportFailure`) comes back, the matching parser turns it into values or a typed
/// `BrokerError`. The same client runs against the simulator in memory and a broker live.
///
/// ```swift
/// let request = try client.quoteRequest(keys, mode: .full, at: now)
/// // … transport delivers `response` …
/// let quotes = try client.parseQuotes(response)
/// ```
public protocol BrokerClient: Sendable {
    /// The live session, if logged in.
    var session: BrokerSession? { get }

    /// `POST /session/token` trading a request token (from the login redirect) for a session.
    func sessionRequest(requestToken: String) -> BrokerRequest
    /// Reads the session answer and keeps it as the live session.
    mutating func acceptSession(_ response: BrokerResponse) throws(BrokerError) -> BrokerSession
    /// Forgets the session (after a TokenException or expiry), so calls fail fast until a new login.
    mutating func dropSession()

    /// The instruments dump, all exchanges or one (`NFO`).
    func instrumentsRequest(exchange: String?, at now: Instant) throws(BrokerError) -> BrokerRequest
    func parseInstruments(_ response: BrokerResponse) throws(BrokerError) -> [BrokerInstrument]

    /// A quote call for `keys` (`EXCHANGE:TRADINGSYMBOL`); refuses more than the route allows.
    func quoteRequest(_ keys: [String], mode: BrokerQuoteMode, at now: Instant) throws(BrokerError) -> BrokerRequest
    /// `keys` prepared once for `quoteRequest(_:at:)`; refuses what `quoteRequest(_:mode:at:)` refuses.
    func quoteQuery(_ keys: [String], mode: BrokerQuoteMode) throws(BrokerError) -> QuoteQuery
    /// The request `quoteRequest(query.keys, mode: query.mode, at: now)` builds, from a query this client prepared.
    func quoteRequest(_ query: QuoteQuery, at now: Instant) throws(BrokerError) -> BrokerRequest
    /// The quotes in the response, in the broker's order; unknown instruments are simply absent.
    func parseQuotes(_ response: BrokerResponse) throws(BrokerError) -> [BrokerQuote]
    /// The same response as `parseQuotes` reads it (same errors), reduced to each quote's top and
    /// matched to the requested keys; `expectedFirst` is where the response's first key likely sits.
    func parseQuoteTops(_ response: BrokerResponse, keys: QuoteKeyIndex, expectedFirst: Int) throws(BrokerError)
        -> MatchedQuotes

    /// Historical candles of `token` for `[from, to]` in Kite's `interval` (`minute` … `day`).
    func historicalRequest(token: UInt32, interval: String, from: Instant, to: Instant, oi: Bool, at now: Instant)
        throws(BrokerError) -> BrokerRequest
    func parseCandles(_ response: BrokerResponse) throws(BrokerError) -> [BrokerCandle]

    /// `GET /user/profile`, a cheap authenticated health check; parsing returns the user id.
    func profileRequest(at now: Instant) throws(BrokerError) -> BrokerRequest
    func parseProfile(_ response: BrokerResponse) throws(BrokerError) -> String
}

extension BrokerClient {
    /// By default, the keys as they are: every request is built afresh.
    public func quoteQuery(_ keys: [String], mode: BrokerQuoteMode) throws(BrokerError) -> QuoteQuery {
        QuoteQuery(keys: keys, mode: mode)
    }

    /// By default, `quoteRequest(query.keys, mode: query.mode, at: now)`.
    public func quoteRequest(_ query: QuoteQuery, at now: Instant) throws(BrokerError) -> BrokerRequest {
        try quoteRequest(query.keys, mode: query.mode, at: now)
    }

    /// By default, `matchQuotesByKey`.
    public func parseQuoteTops(_ response: BrokerResponse, keys: QuoteKeyIndex, expectedFirst: Int) throws(BrokerError)
        -> MatchedQuotes
    {
        try matchQuotesByKey(response, keys: keys)
    }

    /// `parseQuotes` matched to `keys` by key: the reference a faster `parseQuoteTops` must reproduce.
    public func matchQuotesByKey(_ response: BrokerResponse, keys: QuoteKeyIndex) throws(BrokerError) -> MatchedQuotes {
        MatchedQuotes(matching: try parseQuotes(response), keys: keys)
    }
}
