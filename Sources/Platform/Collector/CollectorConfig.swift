/// An expiry bucket as traders name them.
public enum ExpiryBucket: String, Sendable, CaseIterable, Comparable {
    case currentWeek = "current_week"
    case nextWeek = "next_week"
    case currentMonth = "current_month"
    case nextMonth = "next_month"

    public static func < (lhs: ExpiryBucket, rhs: ExpiryBucket) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where the ATM strike is measured from.
public enum ATMSource: String, Sendable {
    /// The nearest-expiry future (what Indian option chains centre on).
    case future
    /// The index level itself.
    case spot
}

/// One index the collector follows.
public struct CollectorIndex: Sendable, Equatable {
    /// Underlying name in the instruments dump, e.g. `NIFTY`.
    public var symbol: String
    /// Exchange of its options and futures: `NFO` (NSE) or `BFO` (BSE).
    public var derivativesExchange: String
    /// Quote key of the index level, e.g. `NSE:NIFTY 50`.
    public var spotKey: String
    /// Strikes each side of ATM to collect (±N).
    public var strikesEachSide: Int
    /// Buckets to collect, nearest first by priority.
    public var buckets: [ExpiryBucket]
    /// Where its option quotes come from: REST polling (the default) or the ticker stream.
    public var source: CollectorSource = .rest

    public init(symbol: String, derivativesExchange: String, spotKey: String, strikesEachSide: Int = 20,
                buckets: [ExpiryBucket] = ExpiryBucket.allCases) {
        precondition(strikesEachSide >= 0 && strikesEachSide <= 200, "strikesEachSide must be in 0...200")
        self.symbol = symbol
        self.derivativesExchange = derivativesExchange
        self.spotKey = spotKey
        self.strikesEachSide = strikesEachSide
        self.buckets = buckets
    }

    /// Defaults for the indices Kite lists, by symbol.
    public static func standard(_ symbol: String, strikesEachSide: Int = 20) -> CollectorIndex? {
        let spot: [String: String] = [
            "NIFTY": "NSE:NIFTY 50", "BANKNIFTY": "NSE:NIFTY BANK", "FINNIFTY": "NSE:NIFTY FIN SERVICE",
            "MIDCPNIFTY": "NSE:NIFTY MID SELECT", "SENSEX": "BSE:SENSEX",
        ]
        guard let key = spot[symbol] else { return nil }
        return CollectorIndex(symbol: symbol, derivativesExchange: symbol == "SENSEX" ? "BFO" : "NFO", spotKey: key,
                              strikesEachSide: strikesEachSide)
    }
}

/// How the collector behaves: what to collect, how fast, how hard to retry.
public struct CollectorConfig: Sendable, Equatable {
    public var indices: [CollectorIndex]
    /// Snapshot cadence.
    public var pollInterval: Duration
    /// The broker's quote-route budget (Kite: 1 request a second).
    public var quoteRequestsPerSecond: Double
    public var quoteBurst: Int64
    /// Requests are paced this fraction slower than the broker's limit, so network jitter does not
    /// bring two requests to the broker closer together than the limit allows (0.05 = 5%).
    public var pacingMargin: Double
    /// Most instruments per quote call (Kite: 500 on `/quote`).
    public var quoteBatchMax: Int
    public var atmSource: ATMSource
    /// The window re-centres only when the underlying is this many strike steps from its centre.
    public var atmHysteresisSteps: Double
    /// Per-request deadline.
    public var requestTimeout: Duration
    /// Full-jitter exponential backoff: first delay bound, cap, and attempts per batch.
    public var retryBase: Duration
    public var retryCap: Duration
    public var retryAttemptsMax: Int
    /// Consecutive failures that open a route's circuit, and how long it stays open.
    public var breakerThreshold: Int
    public var breakerCooldown: Duration
    /// Quotes whose exchange time has not advanced for this long are reported stale.
    public var staleAfter: Duration
    /// How often to reload the instruments dump.
    public var discoveryInterval: Duration
    /// Seed of the jitter generator.
    public var seed: UInt64
    /// Ticker connections the collector may open (Kite: 3 per API key).
    public var tickerConnectionsMax = 3
    /// Tokens per ticker connection (Kite: 3,000).
    public var tickerTokensPerConnection = 3_000

    public init(
        indices: [CollectorIndex], pollInterval: Duration = .seconds(1), quoteRequestsPerSecond: Double = 1,
        quoteBurst: Int64 = 1, pacingMargin: Double = 0, quoteBatchMax: Int = 500, atmSource: ATMSource = .future, atmHysteresisSteps: Double = 0.75,
        requestTimeout: Duration = .seconds(2), retryBase: Duration = .milliseconds(200), retryCap: Duration = .seconds(5),
        retryAttemptsMax: Int = 4, breakerThreshold: Int = 5, breakerCooldown: Duration = .seconds(15),
        staleAfter: Duration = .seconds(30), discoveryInterval: Duration = .seconds(3600), seed: UInt64 = 0
    ) {
        precondition(!indices.isEmpty, "the collector needs at least one index")
        precondition(pollInterval >= .milliseconds(100), "poll interval below 100 ms")
        precondition((1...500).contains(quoteBatchMax), "quote batch must be 1...500")
        precondition(retryAttemptsMax >= 1 && retryAttemptsMax <= 20, "retry attempts must be 1...20")
        self.indices = indices
        self.pollInterval = pollInterval
        self.quoteRequestsPerSecond = quoteRequestsPerSecond
        self.quoteBurst = quoteBurst
        precondition(pacingMargin >= 0 && pacingMargin < 1, "pacing margin must be in [0, 1)")
        self.pacingMargin = pacingMargin
        self.quoteBatchMax = quoteBatchMax
        self.atmSource = atmSource
        self.atmHysteresisSteps = atmHysteresisSteps
        self.requestTimeout = requestTimeout
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.retryAttemptsMax = retryAttemptsMax
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.staleAfter = staleAfter
        self.discoveryInterval = discoveryInterval
        self.seed = seed
    }
}
