/// The collector: logs in, discovers contracts, and snapshots option chains under the broker's limits.
///
/// How this works — an I/O-free state machine driven by the scheduler:
/// - Phases: `needsLogin` (it asks for a request token with `.needRequestToken`), `loggingIn`
///   (`POST /session/token` in flight), `discovering` (instruments dumps in flight), `collecting`.
///   A token error in any phase drops the session and returns to `needsLogin`.
/// - Every `pollInterval` (aligned to whole intervals) a cycle starts: the contracts to fetch are
///   ordered by priority (spot and futures, then nearest expiry, then strikes from ATM outward),
///   cut to what the quote budget allows (the rest is reported as shortfall), split into batches
///   of at most `quoteBatchMax`, and sent as the token bucket allows.
/// - A failed batch is retried with full-jitter backoff while its cycle is open; a 429 waits for
///   `Retry-After`. Each route has a circuit breaker. When every batch has succeeded or given up,
///   the cycle closes and one snapshot per index is written, stamped with the cycle's instant,
///   request time and completeness. A cycle still open when the next poll is due is closed first.
/// Inputs are `start`, `timer`, `response` and `requestToken`; every output is an effect.
public struct Collector<Client: BrokerClient>: Sendable {
    public enum Phase: Sendable, Equatable {
        case needsLogin(requested: Bool)
        case loggingIn(RequestID)
        case discovering(pending: [RequestID])
        case collecting
    }

    public enum Timer: Hashable, Sendable {
        case poll
        case discovery
        /// Send batches that were waiting for quote tokens or a retry delay.
        case pace
        /// Reopen ticker connection N after its backoff.
        case tickerReconnect(Int)
    }

    public enum Input: Sendable, Equatable {
        case start
        case timer(Timer)
        case response(RequestID, Result<BrokerResponse, TransportFailure>)
        /// A request token from the login redirect (the harness plays the browser).
        case requestToken(String)
        /// Something happened on a ticker connection (see `Collector+Ticker.swift`).
        case ticker(TickerEvent)
    }

    public enum Effect: Sendable, Equatable {
        case send(RequestID, BrokerRequest, deadline: Instant)
        case schedule(Timer, at: Instant)
        /// The session is gone: log in again and answer with `.requestToken`.
        case needRequestToken
        case write(ChainSnapshot)
        case log(kind: String, fields: [CollectorLogField])
        /// Open, write to or close a ticker connection.
        case ticker(TickerCommand)
    }

    public let config: CollectorConfig
    public internal(set) var client: Client
    public internal(set) var phase: Phase = .needsLogin(requested: false)
    public internal(set) var universe: [IndexContracts] = []
    public internal(set) var metrics = CollectorMetrics()

    var random: SplitMix64
    var quoteBudget: TokenBucket?
    var quoteBreaker: CircuitBreaker
    var nextRequest: UInt64 = 0
    var inFlight: [RequestID: InFlight] = [:]
    var cycle: Cycle?
    /// The last poll's plan and what it was built from (see `poll`).
    var planCache: (signature: [Int64], universe: [IndexContracts], plan: CyclePlan)?
    /// Snapshot rows with their contract columns filled, for the last plan a snapshot was cut from.
    var rowTemplates: RowTemplates?
    /// The row arrays `finalize` refills in place instead of building and freeing one per snapshot.
    var rowBuffers = RowBuffers()
    /// The last cycle's received slots, emptied and reused by the next poll of the same size.
    var spareReceived: [BrokerQuoteTop?] = []
    var windows: [String: ATMWindow] = [:]
    /// The universe `poll` last walked and, per index, its windows' layouts (see `WindowLayout`).
    var windowLayouts: (universe: [IndexContracts], layouts: [[WindowLayout]])?
    var underlyingPaise: [String: Int64] = [:]
    var atmBasisPaise: [String: Int64] = [:]
    var lastExchangeTime: [String: Instant] = [:]
    var lastExchangeAdvance: [String: Instant] = [:]
    var lastSnapshotAt: Instant?
    var discoveredOn: CivilDate?
    var instrumentsByExchange: [String: [BrokerInstrument]] = [:]
    var ticker: CollectorTicker

    enum InFlight: Sendable, Equatable {
        case session
        case instruments(exchange: String)
        case quotes(batch: Int)
    }

    public init(config: CollectorConfig, client: Client) {
        self.config = config
        self.client = client
        self.random = SplitMix64.keyed(config.seed, label: "collector")
        self.quoteBreaker = CircuitBreaker(threshold: config.breakerThreshold, cooldown: config.breakerCooldown)
        self.ticker = CollectorTicker(config: config)
        if client.session != nil { phase = .discovering(pending: []) }
    }

    /// Handles one input at `now`.
    ///
    /// Pre-specialised for `KiteClient` (the client every runtime uses): callers in other modules see
    /// only the generic entry point, whose generic body would otherwise look up the metadata of
    /// `Effect`, `[Effect]` and `InFlight` and call the client through its witness table on every
    /// poll. The generic entry point dispatches to the specialised body by the client's type.
    @_specialize(where Client == KiteClient)
    public mutating func handle(_ input: Input, at now: Instant) -> [Effect] {
        switch input {
        case .start:
            if case .discovering = phase { return discover(at: now) }
            return requestLogin()
        case .requestToken(let token):
            return login(token: token, at: now)
        case .timer(.poll):
            return poll(at: now)
        case .timer(.discovery):
            switch phase {
            case .collecting: return discover(at: now) + [.schedule(.discovery, at: now + config.discoveryInterval)]
            case .discovering: return discover(at: now)  // the first load failed: try again
            case .needsLogin, .loggingIn: return []
            }
        case .timer(.pace):
            return sendReadyBatches(at: now)
        case .timer(.tickerReconnect(let connection)):
            return tickerReconnect(connection, at: now)
        case .ticker(let event):
            return tickerEvent(event, at: now)
        case .response(let id, let result):
            guard let kind = inFlight.removeValue(forKey: id) else {
                return [log("late_response", ("id", .int(Int64(id.rawValue))))]
            }
            switch kind {
            case .session: return sessionResponse(result, at: now)
            case .instruments(let exchange): return instrumentsResponse(result, exchange: exchange, at: now)
            case .quotes(let batch): return quotesResponse(result, batch: batch, at: now)
            }
        }
    }

    mutating func newRequestID() -> RequestID {
        nextRequest += 1
        return RequestID(nextRequest)
    }

    func log(_ kind: String, _ fields: (String, LogValue)...) -> Effect {
        .log(kind: kind, fields: fields.map { CollectorLogField(key: $0.0, value: $0.1) })
    }

    /// The start of the poll interval after `now`.
    func nextPollInstant(after now: Instant) -> Instant {
        let interval = config.pollInterval.wholeNanoseconds
        let next = (now.nanosecondsSinceEpoch.floorDivided(by: interval) + 1) * interval
        return Instant(nanosecondsSinceEpoch: next)
    }
}

/// A key and value of a collector log line (the harness turns these into event-log fields).
public struct CollectorLogField: Sendable, Equatable {
    public var key: String
    public var value: LogValue
}

/// Counters the collector keeps for health and `/metrics`.
public struct CollectorMetrics: Sendable, Equatable {
    public var requests = 0
    public var failures: [String: Int] = [:]
    public var retries = 0
    public var rateLimited = 0
    public var snapshots = 0
    public var rows = 0
    public var shortfallContracts = 0
    public var lastCompleteness = 0.0
    public var relogins = 0
    public var staleIndices: [String] = []

    mutating func fail(_ kind: String) { failures[kind, default: 0] += 1 }
}
