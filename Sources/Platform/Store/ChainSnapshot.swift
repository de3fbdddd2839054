/// Call or put, written `CE` or `PE` as NSE and Kite do.
public enum OptionType: String, Sendable, Hashable, CaseIterable {
    case call = "CE"
    case put = "PE"
}

/// One option contract's quote within a snapshot. Prices are integer paise (₹1 = 100 paise).
public struct QuoteRow: Sendable, Equatable {
    public var tradingsymbol: String
    public var instrumentToken: UInt32
    public var expiry: CivilDate
    /// Strike in paise.
    public var strikePaise: Int64
    public var optionType: OptionType
    public var bidPaise: Int64
    public var askPaise: Int64
    public var ltpPaise: Int64
    /// Quantity at the best bid and ask, in units (not lots).
    public var bidQuantity: Int64
    public var askQuantity: Int64
    /// Cumulative traded volume for the session, in units.
    public var volume: Int64
    /// Open interest, in units.
    public var openInterest: Int64
    /// The exchange's timestamp for this quote (last update), which can lag the snapshot.
    public var exchangeTime: Instant

    public init(
        tradingsymbol: String, instrumentToken: UInt32, expiry: CivilDate, strikePaise: Int64,
        optionType: OptionType, bidPaise: Int64, askPaise: Int64, ltpPaise: Int64, bidQuantity: Int64,
        askQuantity: Int64, volume: Int64, openInterest: Int64, exchangeTime: Instant
    ) {
        self.tradingsymbol = tradingsymbol
        self.instrumentToken = instrumentToken
        self.expiry = expiry
        self.strikePaise = strikePaise
        self.optionType = optionType
        self.bidPaise = bidPaise
        self.askPaise = askPaise
        self.ltpPaise = ltpPaise
        self.bidQuantity = bidQuantity
        self.askQuantity = askQuantity
        self.volume = volume
        self.openInterest = openInterest
        self.exchangeTime = exchangeTime
    }
}

/// Everything collected for one index at one instant: the unit the store writes atomically-or-not-at-all
/// per row, and deduplicates by (collected instant, tradingsymbol).
public struct ChainSnapshot: Sendable, Equatable {
    /// Index symbol, e.g. `NIFTY`.
    public var index: String
    /// The session this snapshot belongs to; selects the file.
    public var tradingDate: CivilDate
    /// When the collector cut the snapshot: the row key's time part.
    public var collectedAt: Instant
    /// When the request that fetched it was sent.
    public var requestedAt: Instant
    /// The index level in paise at collection.
    public var underlyingPaise: Int64
    /// The contracts' quotes, in the collector's order.
    public var rows: [QuoteRow]

    public init(
        index: String, tradingDate: CivilDate, collectedAt: Instant, requestedAt: Instant,
        underlyingPaise: Int64, rows: [QuoteRow]
    ) {
        self.index = index
        self.tradingDate = tradingDate
        self.collectedAt = collectedAt
        self.requestedAt = requestedAt
        self.underlyingPaise = underlyingPaise
        self.rows = rows
    }
}
