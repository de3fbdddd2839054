/// What the API reads: the platform's latest state, behind one protocol so routes stay thin.
///
/// The simulation and the live server implement it over the store, the collector's instrument
/// list and the analytics engine. Implementations are thread-safe: live handlers run on several
/// event loops.
public protocol PlatformDataSource: Sendable {
    /// Indices the platform collects, in a stable order.
    func indices() -> [IndexView]
    /// Listed expiries of `index` with their bucket names, or nil for an unknown index.
    func expiries(index: String) -> [ExpiryView]?
    /// The latest chain of `index` for one expiry (by date or bucket; nearest when neither),
    /// limited to `strikes` strikes either side of ATM when given.
    func chain(index: String, expiry: CivilDate?, bucket: String?, strikes: Int?) throws(APIError) -> ChainView
    /// The analytics summary of `index` as a JSON object (schema `Analytics`).
    func analytics(index: String) throws(APIError) -> [UInt8]
    /// The fitted volatility surface of `index` as a JSON object (schema `Surface`).
    func surface(index: String) throws(APIError) -> [UInt8]
    /// Stored snapshots of `index` in a time range, one page at a time.
    func history(index: String, query: HistoryQuery) throws(APIError) -> HistoryPage
    /// Component health at `now`.
    func health(at now: Instant) -> HealthReport
    /// Platform metrics in Prometheus text format (the API adds its own).
    func metricsText() -> String
    /// A number that changes whenever what `chain` answers may change (a snapshot landed, the
    /// contract list changed), or nil when the source cannot tell; the chain route caches
    /// encoded bodies per generation only when it is non-nil.
    var dataGeneration: UInt64? { get }
}

extension PlatformDataSource {
    public var dataGeneration: UInt64? { nil }
}

/// An index the platform collects.
public struct IndexView: Sendable, Equatable {
    public var symbol: String
    public var exchange: String
    public var lotSize: Int64
    public var strikeStepPaise: Int64
    /// Last index level seen, if any.
    public var lastPaise: Int64?
    public var lastUpdate: Instant?

    public init(symbol: String, exchange: String, lotSize: Int64, strikeStepPaise: Int64, lastPaise: Int64?, lastUpdate: Instant?) {
        self.symbol = symbol
        self.exchange = exchange
        self.lotSize = lotSize
        self.strikeStepPaise = strikeStepPaise
        self.lastPaise = lastPaise
        self.lastUpdate = lastUpdate
    }
}

/// A listed expiry and the bucket it falls in (`current_week`, `next_week`, `current_month`, …).
public struct ExpiryView: Sendable, Equatable {
    public var date: CivilDate
    public var bucket: String
    public init(date: CivilDate, bucket: String) {
        self.date = date
        self.bucket = bucket
    }
}

/// One contract of a chain with its implied volatility and Greeks (nil where IV is undefined).
public struct ChainRowView: Sendable, Equatable {
    public var quote: QuoteRow
    /// Implied volatility per 1.00 (0.15 = 15%).
    public var impliedVolatility: Double?
    public var delta: Double?
    public var gamma: Double?
    /// Vega per 1.00 of volatility.
    public var vega: Double?
    /// Theta per calendar day.
    public var thetaPerDay: Double?

    public init(quote: QuoteRow, impliedVolatility: Double?, delta: Double?, gamma: Double?, vega: Double?, thetaPerDay: Double?) {
        self.quote = quote
        self.impliedVolatility = impliedVolatility
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.thetaPerDay = thetaPerDay
    }
}

/// The latest chain of one index and expiry.
public struct ChainView: Sendable, Equatable {
    public var index: String
    public var expiry: CivilDate
    public var collectedAt: Instant
    public var underlyingPaise: Int64
    public var forwardPaise: Int64?
    public var atmStrikePaise: Int64
    public var rows: [ChainRowView]

    public init(index: String, expiry: CivilDate, collectedAt: Instant, underlyingPaise: Int64, forwardPaise: Int64?,
                atmStrikePaise: Int64, rows: [ChainRowView]) {
        self.index = index
        self.expiry = expiry
        self.collectedAt = collectedAt
        self.underlyingPaise = underlyingPaise
        self.forwardPaise = forwardPaise
        self.atmStrikePaise = atmStrikePaise
        self.rows = rows
    }
}

/// A history request: a time range, optional contract filters, and a page.
public struct HistoryQuery: Sendable, Equatable {
    public var from: Instant
    public var to: Instant
    public var strikePaise: Int64?
    public var optionType: OptionType?
    /// Opaque cursor from a previous page, or nil for the first.
    public var cursor: String?
    public var limit: Int

    public init(from: Instant, to: Instant, strikePaise: Int64?, optionType: OptionType?, cursor: String?, limit: Int) {
        self.from = from
        self.to = to
        self.strikePaise = strikePaise
        self.optionType = optionType
        self.cursor = cursor
        self.limit = limit
    }
}

/// One page of stored rows and the cursor for the next page (nil on the last).
public struct HistoryPage: Sendable, Equatable {
    public var rows: [StoredRow]
    public var nextCursor: String?
    public init(rows: [StoredRow], nextCursor: String?) {
        self.rows = rows
        self.nextCursor = nextCursor
    }
}
