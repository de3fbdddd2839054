#if canImport(Glibc)
import MarketSim
import Platform
import Synchronization

/// The mock Kite broker served live on a loopback port: REST at the root, the ticker at `/ws`.
///
/// How this works: one `KiteBroker` over the real market (`MarketBrokerAdapter`) answers every
/// REST request, serialised by a `Mutex`, at the virtual instant the request arrives. Virtual
/// time is `at + speed × (wall time elapsed since start)` (see `LiveClock`). The ticker endpoint
/// checks the query's `api_key`/`access_token` with `KiteBroker.tickerAccess` before the upgrade
/// (403 otherwise), keeps one `KiteTickerConnection` per socket, and a timer thread sends each
/// connection its frames for every virtual second (ticks, then the 1-byte heartbeat; at least one
/// heartbeat per wall second even when virtual time runs slower). The broker itself stays I/O-free.
///
/// ```swift
/// let live = try LiveBroker.start(port: 0, seed: 7, apiKey: "k", apiSecret: "s", indices: ["NIFTY"])
/// print("http://127.0.0.1:\(live.port)")
/// live.shutdown(); live.wait()
/// ```
public final class LiveBroker: Sendable {
    /// The bound TCP port (the one asked for, or the kernel's pick for port 0).
    public let port: Int
    /// The address the server listens on.
    public let host: String
    /// Credentials the broker accepts.
    public let apiKey: String
    public let apiSecret: String
    /// Where `/connect/login` redirects with the request token.
    public let redirectURL: String
    /// The mapping from wall time to virtual time.
    public let clock: LiveClock
    private let server: HTTPServer
    private let state: LiveBrokerState
    private let stopping: Atomic<Bool>
    private let tickerThread: Mutex<WallThread?>

    /// Request bounds: a quote for 1000 `EXCHANGE:SYMBOL` keys is a request line of about 40 KB,
    /// well past the server's default 8 KiB.
    public static let requestLimits = HTTPParserLimits(
        headerSectionBytesMax: 256 * 1024, requestLineBytesMax: 192 * 1024, headerFieldCountMax: 100,
        bodyBytesMax: 1 << 20)

    /// The path of the ticker WebSocket (the root path `/` upgrades too).
    public static let tickerPath = "/ws"

    private init(
        port: Int, host: String, apiKey: String, apiSecret: String, redirectURL: String, clock: LiveClock,
        server: HTTPServer, state: LiveBrokerState
    ) {
        self.port = port
        self.host = host
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.redirectURL = redirectURL
        self.clock = clock
        self.server = server
        self.state = state
        stopping = Atomic(false)
        tickerThread = Mutex(nil)
    }

    /// Starts serving; returns once the port accepts connections.
    ///
    /// - Parameters:
    ///   - port: TCP port; 0 picks a free one (read it back from `port`).
    ///   - seed: the market seed (quotes, candles and tokens are pure functions of it).
    ///   - at: the virtual instant at start; nil means now if the market is open, else the next session open.
    ///   - speed: virtual seconds per wall second (> 0; 60 plays an hour a minute).
    ///   - indices: the indices to simulate (names from `Market.allIndices`).
    ///   - spec: the market's structure and model, with a scenario's overrides and shocks (`Scenario.MarketSection`).
    ///   - behaviour: how the broker misbehaves (a scenario's `broker` section: errors, partial and stale
    ///     quotes, maintenance windows, limits); instants in it are virtual time.
    public static func start(
        port: Int, host: String = "127.0.0.1", seed: UInt64, at: Instant? = nil, speed: Double = 1,
        apiKey: String, apiSecret: String, redirectURL: String = "http://127.0.0.1/callback",
        indices: [String] = Market.allIndices, loopCount: Int = 2, spec: MarketSpec = .standard,
        behaviour: KiteBehaviourProfile = .perfect
    ) throws(LiveBrokerError) -> LiveBroker {
        guard speed.isFinite, speed > 0, speed <= 1_000_000 else { throw .invalidSpeed(speed) }
        guard !apiKey.isEmpty, !apiSecret.isEmpty else { throw .emptyCredentials }
        let known = Market.allIndices
        guard !indices.isEmpty else { throw .unknownIndex("", known: known) }
        for name in indices where !known.contains(name) { throw .unknownIndex(name, known: known) }
        let start = at ?? LiveClock.defaultStart(wallNow: WallClock.now())
        let date = MarketTime(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch).istDate
        guard date >= spec.simulatedFrom, date <= spec.simulatedTo else {
            throw .outsideSimulatedRange(start, from: spec.simulatedFrom.description, to: spec.simulatedTo.description)
        }
        let market = MarketBrokerAdapter(seed: seed, indices: indices, spec: spec)
        let configuration = KiteBrokerConfiguration(
            apiKey: apiKey, apiSecret: apiSecret, checksum: BrokerBridge.checksum, seed: seed, redirectURL: redirectURL,
            profile: behaviour)
        let clock = LiveClock(origin: start, speed: speed, wallOrigin: WallClock.monotonic())
        let state = LiveBrokerState(broker: KiteBroker(market: market, configuration: configuration), clock: clock)
        var router = Router()
        router.use { request, _ in state.respond(to: request) }
        let routes = WebSocketRoutes([state.tickerEndpoint(path: tickerPath), state.tickerEndpoint(path: "/")])
        let server: HTTPServer
        do {
            server = try HTTPServer.start(
                configuration: HTTPServerConfiguration(
                    host: host, port: port, loopCount: max(1, loopCount), limits: requestLimits,
                    shutdownGracePeriod: .seconds(2)),
                router: router, webSockets: routes)
        } catch {
            throw .cannotListen(host: host, port: port, reason: "\(error)")
        }
        let live = LiveBroker(
            port: server.port, host: host, apiKey: apiKey, apiSecret: apiSecret, redirectURL: redirectURL,
            clock: clock, server: server, state: state)
        let thread = WallClock.spawn { [live] in live.runTicker() }
        live.tickerThread.withLock { $0 = thread }
        return live
    }

    /// The REST base URL (give it to the client as `root`).
    public var baseURL: String { "http://\(host):\(port)" }

    /// The ticker URL (give it to `KiteTicker` as `root`).
    public var tickerURL: String { "ws://\(host):\(port)\(LiveBroker.tickerPath)" }

    /// The current virtual instant.
    public func virtualNow() -> Instant { clock.virtualNow() }

    /// Stops the ticker and starts a graceful shutdown of the server (returns at once; see `wait`).
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
        server.shutdown()
    }

    /// Blocks until the ticker thread and every server loop have finished (after `shutdown`).
    public func wait() {
        let thread = tickerThread.withLock { value -> WallThread? in
            let taken = value
            value = nil
            return taken
        }
        thread?.join()
        server.wait()
    }

    /// Open ticker connections.
    public var tickerConnectionCount: Int { state.tickerConnectionCount }

    /// Sends frames for every virtual second until `shutdown`; a heartbeat at least every wall second.
    private func runTicker() {
        var lastSecond = clock.virtualNow().nanosecondsSinceEpoch / 1_000_000_000
        var lastSend = WallClock.monotonic()
        while !stopping.load(ordering: .acquiring) {
            let second = clock.virtualNow().nanosecondsSinceEpoch / 1_000_000_000
            let wall = WallClock.monotonic()
            if second > lastSecond {
                lastSecond = second  // seconds missed while behind are skipped, not replayed
                state.sendTicks(at: Instant(secondsSinceEpoch: second))
                lastSend = wall
            } else if wall - lastSend >= .seconds(1) {
                state.sendHeartbeats()
                lastSend = wall
            }
            let untilNextSecond = clock.wallDuration(untilVirtual: Instant(secondsSinceEpoch: lastSecond + 1))
            WallClock.sleep(for: min(untilNextSecond, .milliseconds(100), .seconds(1) - (WallClock.monotonic() - lastSend)))
        }
    }
}

/// Why the live broker could not start.
public enum LiveBrokerError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSpeed(Double)
    case emptyCredentials
    case unknownIndex(String, known: [String])
    case outsideSimulatedRange(Instant, from: String, to: String)
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidSpeed(let speed): return "speed must be a positive number of virtual seconds per second (at most 1e6), got \(speed)"
        case .emptyCredentials: return "the API key and secret must not be empty"
        case .unknownIndex(let name, let known):
            return "unknown index '\(name)' (known: \(known.joined(separator: ", ")))"
        case .outsideSimulatedRange(let start, let from, let to):
            return "start instant \(start) is outside the simulated dates \(from) … \(to); pass --at inside them"
        case .cannotListen(let host, let port, let reason):
            return "cannot listen on \(host):\(port): \(reason) (is the port in use? try another or 0)"
        }
    }
}
#endif
