#if canImport(Glibc)
import MarketSim
import Platform
import Synchronization

/// The mock Kite broker served over real HTTP on loopback, for live tests and benchmarks.
///
/// Every request goes to one `KiteBroker` over the market model (`MarketBrokerAdapter`), guarded
/// by a lock; the broker's virtual time is the wall clock shifted by `clock.offset`, so a fixed
/// trading session can be served at any hour and a live collector given the same offset agrees
/// with it. The broker's simulated latency is not slept: loopback is the latency.
public final class MockBrokerServer: Sendable {
    /// The live HTTP server the broker answers through.
    public let server: HTTPServer
    /// The broker's clock: wall time shifted so it read `sessionStart` at start; give it to a live collector.
    public let clock: WallClock
    /// The one API key the broker accepts.
    public let apiKey: String
    private let broker: LockedBroker

    /// The port the broker listens on (127.0.0.1).
    public var port: Int { server.port }
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(server.port)" }

    /// Starts a broker for `indices` with `seed`, its clock at `sessionStart` now; quote calls
    /// limited to `quotesPerSecond` (nil: no rate limits); `profile` adds injected faults, partial
    /// and stale quotes (its rate limits are replaced by `quotesPerSecond`; its latency is not slept).
    public init(
        seed: UInt64, indices: [String], sessionStart: Instant, apiKey: String = "opsim_key",
        apiSecret: String = "opsim_secret", quotesPerSecond: Int? = 1, profile: KiteBehaviourProfile = .perfect,
        port: Int = 0, loops: Int = 1
    ) throws(SocketError) {
        var profile = profile
        profile.rateLimits = quotesPerSecond.map { KiteRateLimits(quotePerSecond: $0) } ?? .unlimited
        let configuration = KiteBrokerConfiguration(
            apiKey: apiKey, apiSecret: apiSecret, checksum: BrokerBridge.checksum, seed: seed, profile: profile)
        let broker = LockedBroker(KiteBroker(market: MarketBrokerAdapter(seed: seed, indices: indices), configuration: configuration))
        let clock = WallClock.starting(at: sessionStart)
        var router = Router()
        router.use { request, _ in
            let kite = KiteHTTPRequest(
                method: request.method.rawValue, path: request.path,
                query: request.queryItems.map { KiteField($0.name, $0.value) },
                headers: request.headers.map { KiteField($0.name, $0.value) }, body: request.body)
            let now = BrokerBridge.kiteInstant(clock.now)
            let answer = broker.state.withLock { $0.handle(kite, at: now) }
            var headers = HTTPHeaders()
            for field in answer.headers { headers.add(name: field.name, value: field.value) }
            return HTTPResponse(status: HTTPStatus(code: answer.status), headers: headers, body: answer.body)
        }
        self.server = try HTTPServer.start(
            configuration: HTTPServerConfiguration(
                port: port, loopCount: loops,
                // A quote call carries up to 500 `i=EXCHANGE:SYMBOL` pairs in its request line (~20 KB).
                limits: HTTPParserLimits(headerSectionBytesMax: 96 * 1024, requestLineBytesMax: 64 * 1024),
                shutdownGracePeriod: .seconds(1)),
            router: router)
        self.clock = clock
        self.apiKey = apiKey
        self.broker = broker
    }

    /// Requests the broker has answered.
    public var requestCount: UInt64 { broker.state.withLock { $0.requestCount } }

    /// Stops the server (in-flight requests finish) and waits for its threads.
    public func shutdown() {
        server.shutdown()
        server.wait()
    }
}

/// The one broker every server loop shares, behind a lock.
final class LockedBroker: Sendable {
    let state: Mutex<KiteBroker<MarketBrokerAdapter>>
    init(_ broker: sending KiteBroker<MarketBrokerAdapter>) { state = Mutex(broker) }
}
#endif
