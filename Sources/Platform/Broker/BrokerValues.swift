/// Which quote route to call and so which fields come back.
public enum BrokerQuoteMode: Sendable, Equatable {
    /// `/quote`: everything, with 5-level depth; at most 500 instruments per call.
    case full
    /// `/quote/ohlc`: last price and OHLC; at most 1000.
    case ohlc
    /// `/quote/ltp`: last price only; at most 1000.
    case ltp

    /// Most instruments one call may carry.
    public var instrumentsMax: Int { self == .full ? 500 : 1000 }

    /// The route's path.
    public var path: String {
        switch self {
        case .full: return "/quote"
        case .ohlc: return "/quote/ohlc"
        case .ltp: return "/quote/ltp"
        }
    }
}

/// One depth level: price in paise, quantity in units, number of orders.
public struct BrokerDepthLevel: Sendable, Equatable {
    public var pricePaise: Int64
    public var quantity: Int64
    public var orders: Int64

    public init(pricePaise: Int64, quantity: Int64, orders: Int64) {
        self.pricePaise = pricePaise
        self.quantity = quantity
        self.orders = orders
    }
}

/// One instrument's quote as the broker sent it; prices in paise, quantities and OI in units.
///
/// Fields the route does not carry (depth on `/quote/ltp`, say) are zero or empty.
public struct BrokerQuote: Sendable, Equatable {
    /// The key it was requested by, e.g. `NFO:NIFTY25D1624000CE`.
    public var key: String
    public var instrumentToken: UInt32
    /// Exchange time of the snapshot, nil when absent or not 19 characters.
    public var timestamp: Instant?
    /// Time of the last trade, nil when `""` (indices) or absent.
    public var lastTradeTime: Instant?
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
    public var oi: Int64 = 0
    public var oiDayHigh: Int64 = 0
    public var oiDayLow: Int64 = 0
    public var netChangePaise: Int64 = 0
    public var lowerCircuitPaise: Int64 = 0
    public var upperCircuitPaise: Int64 = 0
    /// Best bid first.
    public var bids: [BrokerDepthLevel] = []
    /// Best ask first.
    public var asks: [BrokerDepthLevel] = []

    public init(key: String, instrumentToken: UInt32) {
        self.key = key
        self.instrumentToken = instrumentToken
    }
}

/// One row of the instruments dump.
public struct BrokerInstrument: Sendable, Equatable {
    public var instrumentToken: UInt32
    public var exchangeToken: UInt32
    public var tradingsymbol: String
    public var name: String
    public var lastPricePaise: Int64
    /// Nil for index and equity rows.
    public var expiry: CivilDate?
    /// 0 for non-options.
    public var strikePaise: Int64
    public var tickSizePaise: Int64
    public var lotSize: Int64
    /// `EQ`, `FUT`, `CE`, `PE`.
    public var instrumentType: String
    public var segment: String
    public var exchange: String

    public init(instrumentToken: UInt32, exchangeToken: UInt32, tradingsymbol: String, name: String,
                lastPricePaise: Int64, expiry: CivilDate?, strikePaise: Int64, tickSizePaise: Int64,
                lotSize: Int64, instrumentType: String, segment: String, exchange: String) {
        self.instrumentToken = instrumentToken
        self.exchangeToken = exchangeToken
        self.tradingsymbol = tradingsymbol
        self.name = name
        self.lastPricePaise = lastPricePaise
        self.expiry = expiry
        self.strikePaise = strikePaise
        self.tickSizePaise = tickSizePaise
        self.lotSize = lotSize
        self.instrumentType = instrumentType
        self.segment = segment
        self.exchange = exchange
    }

    /// `EXCHANGE:TRADINGSYMBOL`, the quote key.
    public var key: String { exchange + ":" + tradingsymbol }
}

/// One historical candle; prices in paise, OI nil unless requested.
public struct BrokerCandle: Sendable, Equatable {
    public var start: Instant
    public var openPaise: Int64
    public var highPaise: Int64
    public var lowPaise: Int64
    public var closePaise: Int64
    public var volume: Int64
    public var oi: Int64?

    public init(start: Instant, openPaise: Int64, highPaise: Int64, lowPaise: Int64, closePaise: Int64,
                volume: Int64, oi: Int64?) {
        self.start = start
        self.openPaise = openPaise
        self.highPaise = highPaise
        self.lowPaise = lowPaise
        self.closePaise = closePaise
        self.volume = volume
        self.oi = oi
    }
}

/// A logged-in session: the access token and when it dies (the first 06:00 IST after login).
public struct BrokerSession: Sendable, Equatable {
    public var userID: String
    public var accessToken: String
    public var loginTime: Instant
    public var expiresAt: Instant

    public init(userID: String, accessToken: String, loginTime: Instant, expiresAt: Instant) {
        self.userID = userID
        self.accessToken = accessToken
        self.loginTime = loginTime
        self.expiresAt = expiresAt
    }

    /// The first 06:00 IST strictly after `login`.
    public static func expiry(afterLogin login: Instant) -> Instant {
        let sameDay = ISO8601.instant(ISO8601.istDate(of: login), hour: 6, minute: 0)
        return sameDay > login ? sameDay : ISO8601.instant(ISO8601.istDate(of: login).adding(days: 1), hour: 6, minute: 0)
    }
}
