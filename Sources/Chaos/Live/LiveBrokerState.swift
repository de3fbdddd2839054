#if canImport(Glibc)
import MarketSim
import Platform
import Synchronization

/// The shared state of a `LiveBroker`: the broker, the ticker registry and the open ticker sockets.
///
/// Every access goes through one `Mutex`, so the server's loops and the ticker thread see one
/// broker. Quotes for ticks are computed outside the lock (the market adapter is thread-safe), so
/// REST requests never wait for a tick round.
final class LiveBrokerState: Sendable {
    struct Ticker {
        let id: UInt64
        let session: ObjectIdentifier
        var connection: KiteTickerConnection
        let remote: WebSocketRemote
    }

    struct Guarded {
        var broker: KiteBroker<MarketBrokerAdapter>
        var registry = KiteTickerRegistry()
        /// Open ticker sockets in connection order (ids ascending).
        var tickers: [Ticker] = []
    }

    let clock: LiveClock
    let market: MarketBrokerAdapter
    private let guarded: Mutex<Guarded>

    init(broker: KiteBroker<MarketBrokerAdapter>, clock: LiveClock) {
        self.clock = clock
        market = broker.market
        guarded = Mutex(Guarded(broker: broker))
    }

    var tickerConnectionCount: Int { guarded.withLock { $0.tickers.count } }

    // MARK: REST

    /// Answers one REST request with the broker, at the virtual instant it arrived.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        let kite = LiveBrokerState.kiteRequest(request)
        let now = BrokerBridge.kiteInstant(clock.virtualNow())
        let answer = guarded.withLock { $0.broker.handle(kite, at: now) }
        return LiveBrokerState.httpResponse(answer)
    }

    static func kiteRequest(_ request: HTTPRequest) -> KiteHTTPRequest {
        KiteHTTPRequest(
            method: request.method.rawValue, path: request.path,
            query: request.queryItems.map { KiteField($0.name, $0.value) },
            headers: request.headers.fields.map { KiteField($0.name, $0.value) }, body: request.body)
    }

    static func httpResponse(_ response: KiteHTTPResponse) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: response.status),
            headers: HTTPHeaders(response.headers.map { (name: $0.name, value: $0.value) }), body: response.body)
    }

    // MARK: Ticker

    /// The WebSocket endpoint for the ticker at `path`.
    func tickerEndpoint(path: String) -> WebSocketEndpoint {
        WebSocketEndpoint(
            path: path,
            onOpen: { [self] session in opened(session) },
            onMessage: { [self] session, event in received(event, from: session) },
            onClose: { [self] session in closed(session) },
            refusal: { [self] request in refusal(for: request) })
    }

    /// 403 with Kite's TokenException unless the query's credentials name a live session.
    func refusal(for request: HTTPRequest) -> HTTPResponse? {
        let apiKey = request.queryValue("api_key") ?? ""
        let accessToken = request.queryValue("access_token") ?? ""
        let now = BrokerBridge.kiteInstant(clock.virtualNow())
        let allowed = guarded.withLock { $0.broker.tickerAccess(apiKey: apiKey, accessToken: accessToken, at: now) }
        if allowed { return nil }
        return LiveBrokerState.httpResponse(
            KiteError(.token, "Incorrect `api_key` or `access_token`.", httpStatus: 403).response)
    }

    private func opened(_ session: WebSocketSession) {
        let apiKey = session.request.queryValue("api_key") ?? ""
        let result = guarded.withLock { state -> Result<UInt64, KiteTickerLimitError> in
            let result = state.registry.connect(apiKey: apiKey)
            if case .success(let id) = result {
                state.tickers.append(Ticker(
                    id: id, session: ObjectIdentifier(session), connection: KiteTickerConnection(), remote: session.remote))
            }
            return result
        }
        if case .failure(let error) = result {
            session.send(text: String(decoding: error.text, as: UTF8.self))
            session.close(code: 1008, reason: "too many connections")
        }
    }

    private func received(_ event: WebSocketConnection.Event, from session: WebSocketSession) {
        guard case .text(let text) = event else { return }
        let key = ObjectIdentifier(session)
        let outputs = guarded.withLock { state -> [KiteTickerConnection.Output] in
            guard let index = state.tickers.firstIndex(where: { $0.session == key }) else { return [] }
            return state.tickers[index].connection.receive(text: Array(text.utf8))
        }
        for output in outputs { LiveBrokerState.send(output, to: session) }
    }

    private func closed(_ session: WebSocketSession) {
        let key = ObjectIdentifier(session)
        guarded.withLock { state in
            guard let index = state.tickers.firstIndex(where: { $0.session == key }) else { return }
            state.registry.disconnect(state.tickers[index].id)
            state.tickers.remove(at: index)
        }
    }

    private static func send(_ output: KiteTickerConnection.Output, to session: WebSocketSession) {
        switch output {
        case .binary(let bytes): session.send(binary: bytes)
        case .text(let bytes): session.send(text: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Sends every open ticker its frames for the virtual second `instant` (from the ticker thread).
    func sendTicks(at instant: Instant) {
        let snapshot = guarded.withLock { $0.tickers }
        let kiteInstant = BrokerBridge.kiteInstant(instant)
        for ticker in snapshot {
            for output in ticker.connection.tick(at: kiteInstant, market: market) {
                switch output {
                case .binary(let bytes): ticker.remote.send(binary: bytes)
                case .text(let bytes): ticker.remote.send(text: String(decoding: bytes, as: UTF8.self))
                }
            }
        }
    }

    /// Sends every open ticker the 1-byte heartbeat (when virtual seconds are slower than wall seconds).
    func sendHeartbeats() {
        let remotes = guarded.withLock { $0.tickers.map(\.remote) }
        for remote in remotes { remote.send(binary: KiteTickPacket.heartbeat) }
    }
}
#endif
