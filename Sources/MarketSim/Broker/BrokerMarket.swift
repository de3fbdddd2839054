/// What the mock broker needs from a market: listed instruments, quote snapshots and candles.
///
/// The broker is written against this narrow protocol so it can be tested with a small double and
/// served over the real market model (or a replayed session) by an adapter. Every answer must be
/// a pure function of its arguments: asking twice, or in another order, gives the same values.
/// Prices are integer paise (₹1 = 100 paise); quantities and OI are units, not lots.
public protocol BrokerMarket {
    /// Every instrument listed on the IST trading day `date`, in a stable order (the dump's order).
    func instruments(on date: KiteDate) -> [KiteInstrument]

    /// The quote of `token` as the exchange last published it at or before `instant`, or nil when
    /// the instrument is not trading then (not listed, expired).
    func quote(token: UInt32, at instant: KiteInstant) -> KiteQuote?

    /// One-minute candles of `token` whose start lies in `[from, to]`, oldest first.
    ///
    /// Candle times are the minute's start; minutes with no trading are left out. The broker
    /// aggregates them into Kite's longer intervals.
    func minuteCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle]

    /// Daily candles of `token` for the IST dates from `from` to `to`, stamped at 00:00 IST.
    ///
    /// Optional: the default aggregates `minuteCandles`, which costs 375 minutes per day over
    /// ranges of up to 2000 days; a market with a cheaper daily path should provide it.
    func dayCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle]

    /// Writes the `/quote` entry of `token` at `instant` in `kind`'s shape and returns true, or
    /// writes nothing and returns false when `quote(token:at:)` is nil.
    ///
    /// Optional: the default encodes `quote(token:at:)`. A market that builds its quotes from
    /// another type can encode each where it builds it, instead of returning a `KiteQuote` (some
    /// 400 bytes, copied at every step) for each of the hundreds of instruments of a call.
    func writeQuote(token: UInt32, at instant: KiteInstant, kind: KiteQuoteKind, to out: inout KiteByteWriter) -> Bool

    /// Calls `body` with a function writing `/quote` entries at `instant`, each exactly as
    /// `writeQuote(token:at:kind:to:)` would, and returns `body`'s result.
    ///
    /// Optional: the default calls `writeQuote` per entry. A market can resolve the instant
    /// (its session, its second) once for a call's hundreds of entries instead of once per entry.
    ///
    /// `body` may only write entries through the writer it is given, on the calling thread; it
    /// must not call back into this market (`quote`, `writeQuote`, candles, another
    /// `withQuoteWriter`): a market may hold a non-reentrant lock for the whole of `body`
    /// (`MarketBrokerAdapter` holds its session's quote-cache lock), so a call back traps or deadlocks.
    func withQuoteWriter<Result>(at instant: KiteInstant, _ body: (KiteQuoteWriter) -> Result) -> Result

    /// Whether trading is halted market-wide at `instant` (a circuit breaker): the ticker then sends
    /// heartbeats only, as nothing changes. Optional: the default is never.
    func isTradingHalted(at instant: KiteInstant) -> Bool
}

/// Writes the `/quote` entry of a token in a kind's shape at an instant fixed by its maker, or
/// nothing (false) when the instrument is not trading then.
public typealias KiteQuoteWriter = (_ token: UInt32, _ kind: KiteQuoteKind, _ out: inout KiteByteWriter) -> Bool

extension BrokerMarket {
    public func isTradingHalted(at instant: KiteInstant) -> Bool { false }

    @inlinable
    public func writeQuote(token: UInt32, at instant: KiteInstant, kind: KiteQuoteKind, to out: inout KiteByteWriter) -> Bool {
        guard let quote = quote(token: token, at: instant) else { return false }
        KiteQuoteEncoder.write(quote, kind: kind, to: &out)
        return true
    }

    public func withQuoteWriter<Result>(at instant: KiteInstant, _ body: (KiteQuoteWriter) -> Result) -> Result {
        body { token, kind, out in writeQuote(token: token, at: instant, kind: kind, to: &out) }
    }

    public func dayCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle] {
        KiteBroker<Self>.aggregate(minuteCandles(token: token, from: from, to: to), interval: .day)
    }
}

/// One row of Kite's instruments dump, fields in the dump's column order.
public struct KiteInstrument: Sendable, Equatable {
    /// `exchangeToken × 256 + segment code`, the id used by quote and ticker calls.
    public var instrumentToken: UInt32
    /// The exchange's own numeric id.
    public var exchangeToken: UInt32
    /// E.g. `NIFTY25D1624000CE`, `NIFTY25DECFUT`, `NIFTY 50`.
    public var tradingsymbol: String
    /// Underlying name for F&O (`NIFTY`); the symbol itself for index rows.
    public var name: String
    /// Previous close in paise (the dump is built before the open), or 0.
    public var lastPricePaise: Int64
    /// Expiry date for F&O, nil for index and equity rows.
    public var expiry: KiteDate?
    /// Strike in paise, 0 for non-options.
    public var strikePaise: Int64
    /// Price step in paise (5 = ₹0.05 for index F&O; 0 for index rows).
    public var tickSizePaise: Int64
    /// Contract size in units (65 for NIFTY in 2026; 1 for index rows).
    public var lotSize: Int64
    /// `EQ`, `FUT`, `CE` or `PE` (index rows use `EQ`).
    public var instrumentType: String
    /// `NSE`, `INDICES`, `NFO-FUT`, `NFO-OPT`, `BFO-OPT`, ….
    public var segment: String
    /// `NSE`, `BSE`, `NFO`, `BFO`, ….
    public var exchange: String

    public init(
        instrumentToken: UInt32, exchangeToken: UInt32, tradingsymbol: String, name: String,
        lastPricePaise: Int64, expiry: KiteDate?, strikePaise: Int64, tickSizePaise: Int64,
        lotSize: Int64, instrumentType: String, segment: String, exchange: String
    ) {
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

    /// `EXCHANGE:TRADINGSYMBOL`, the key quote calls use.
    public var key: String { exchange + ":" + tradingsymbol }

    /// The ticker segment code, the token's low byte (9 = INDICES, not tradable).
    public var segmentCode: UInt8 { UInt8(truncatingIfNeeded: instrumentToken) }
}

/// One level of market depth: price in paise, total quantity, number of orders.
///
/// The same type as the market's `MarketQuote.DepthLevel`, so a quote's depth reaches the wire
/// without being copied level by level into a second array.
public typealias KiteDepthLevel = MarketQuote.DepthLevel

/// Up to five depth levels of one side, best first, held inline in the quote (`MarketQuote.DepthLevels`).
public typealias KiteDepthLevels = MarketQuote.DepthLevels

/// A quote snapshot of one instrument at one instant; all prices in paise, quantities in units.
public struct KiteQuote: Sendable, Equatable {
    public var instrumentToken: UInt32
    /// Exchange time of the snapshot.
    public var exchangeTime: KiteInstant
    /// Time of the last trade; nil for indices (Kite sends `""`).
    public var lastTradeTime: KiteInstant?
    public var lastPricePaise: Int64
    public var lastQuantity: Int64
    /// Volume-weighted average price of the day.
    public var averagePricePaise: Int64
    /// Traded quantity for the day.
    public var volume: Int64
    /// Total pending bid quantity.
    public var buyQuantity: Int64
    /// Total pending ask quantity.
    public var sellQuantity: Int64
    public var openPaise: Int64
    public var highPaise: Int64
    public var lowPaise: Int64
    /// Previous session's close.
    public var closePaise: Int64
    /// Open interest in units; 0 for cash and index instruments.
    public var oi: Int64
    public var oiDayHigh: Int64
    public var oiDayLow: Int64
    public var lowerCircuitPaise: Int64
    public var upperCircuitPaise: Int64
    /// Best bid first; Kite always shows 5 levels for tradables, empty for indices.
    public var bids: KiteDepthLevels
    /// Best ask first.
    public var asks: KiteDepthLevels

    @inlinable
    public init(
        instrumentToken: UInt32, exchangeTime: KiteInstant, lastTradeTime: KiteInstant?,
        lastPricePaise: Int64, lastQuantity: Int64 = 0, averagePricePaise: Int64 = 0,
        volume: Int64 = 0, buyQuantity: Int64 = 0, sellQuantity: Int64 = 0, openPaise: Int64 = 0,
        highPaise: Int64 = 0, lowPaise: Int64 = 0, closePaise: Int64 = 0, oi: Int64 = 0,
        oiDayHigh: Int64 = 0, oiDayLow: Int64 = 0, lowerCircuitPaise: Int64 = 0,
        upperCircuitPaise: Int64 = 0, bids: KiteDepthLevels = [], asks: KiteDepthLevels = []
    ) {
        self.instrumentToken = instrumentToken
        self.exchangeTime = exchangeTime
        self.lastTradeTime = lastTradeTime
        self.lastPricePaise = lastPricePaise
        self.lastQuantity = lastQuantity
        self.averagePricePaise = averagePricePaise
        self.volume = volume
        self.buyQuantity = buyQuantity
        self.sellQuantity = sellQuantity
        self.openPaise = openPaise
        self.highPaise = highPaise
        self.lowPaise = lowPaise
        self.closePaise = closePaise
        self.oi = oi
        self.oiDayHigh = oiDayHigh
        self.oiDayLow = oiDayLow
        self.lowerCircuitPaise = lowerCircuitPaise
        self.upperCircuitPaise = upperCircuitPaise
        self.bids = bids
        self.asks = asks
    }

    /// Absolute change from the previous close, in paise.
    @inlinable
    public var netChangePaise: Int64 { closePaise == 0 ? 0 : lastPricePaise - closePaise }
}

/// One OHLCV candle: start time, prices in paise, volume and closing OI in units.
public struct KiteCandle: Sendable, Equatable {
    /// Start of the candle's interval.
    public var start: KiteInstant
    public var openPaise: Int64
    public var highPaise: Int64
    public var lowPaise: Int64
    public var closePaise: Int64
    public var volume: Int64
    /// Open interest at the candle's close.
    public var oi: Int64

    public init(
        start: KiteInstant, openPaise: Int64, highPaise: Int64, lowPaise: Int64, closePaise: Int64,
        volume: Int64, oi: Int64
    ) {
        self.start = start
        self.openPaise = openPaise
        self.highPaise = highPaise
        self.lowPaise = lowPaise
        self.closePaise = closePaise
        self.volume = volume
        self.oi = oi
    }
}
