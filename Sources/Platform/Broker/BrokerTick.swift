/// A ticker subscription mode: how much each update of a token carries.
public enum BrokerTickMode: String, Sendable, Equatable, CaseIterable {
    /// Token and last price (8-byte packets).
    case ltp
    /// Adds quantities and OHLC (44 bytes; 28 for indices).
    case quote
    /// Adds OI, times and 5-level depth (184 bytes; 32 for indices).
    case full
}

/// One instrument's update from the ticker stream, in the same units as `BrokerQuote`.
///
/// Prices are in paise whatever the segment's wire divisor; quantities and OI in units; times
/// are exchange times (nil when the packet does not carry them or sends 0). Fields the mode
/// does not carry are zero or empty.
public struct BrokerTick: Sendable, Equatable {
    public var instrumentToken: UInt32
    public var mode: BrokerTickMode
    /// False for index packets (segment 9), which carry only prices and a timestamp.
    public var tradable: Bool
    public var lastPricePaise: Int64 = 0
    public var lastQuantity: Int64 = 0
    public var averagePricePaise: Int64 = 0
    public var volume: Int64 = 0
    public var buyQuantity: Int64 = 0
    public var sellQuantity: Int64 = 0
    public var openPaise: Int64 = 0
    public var highPaise: Int64 = 0
    public var lowPaise: Int64 = 0
    /// Previous session's close.
    public var closePaise: Int64 = 0
    public var lastTradeTime: Instant?
    public var oi: Int64 = 0
    public var oiDayHigh: Int64 = 0
    public var oiDayLow: Int64 = 0
    /// Exchange time of the update (full mode only).
    public var exchangeTime: Instant?
    /// Best bid first; five levels in full mode, empty levels as zeros.
    public var bids: [BrokerDepthLevel] = []
    /// Best ask first.
    public var asks: [BrokerDepthLevel] = []

    public init(instrumentToken: UInt32, mode: BrokerTickMode, tradable: Bool) {
        self.instrumentToken = instrumentToken
        self.mode = mode
        self.tradable = tradable
    }

    /// The tick as the quote the REST path would have produced for `key`, for snapshot building.
    public func quote(key: String) -> BrokerQuote {
        var quote = BrokerQuote(key: key, instrumentToken: instrumentToken)
        quote.timestamp = exchangeTime
        quote.lastTradeTime = lastTradeTime
        quote.lastPricePaise = lastPricePaise
        quote.lastQuantity = lastQuantity
        quote.averagePricePaise = averagePricePaise
        quote.volume = volume
        quote.buyQuantity = buyQuantity
        quote.sellQuantity = sellQuantity
        quote.openPaise = openPaise
        quote.highPaise = highPaise
        quote.lowPaise = lowPaise
        quote.closePaise = closePaise
        quote.oi = oi
        quote.oiDayHigh = oiDayHigh
        quote.oiDayLow = oiDayLow
        quote.bids = bids
        quote.asks = asks
        return quote
    }
}
