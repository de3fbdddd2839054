/// Where `KiteQuoteDecoder` puts each decoded quote: full values, or tops matched to requested keys.
protocol QuoteMapSink {
    /// Whether every field and depth level is kept (else only `QuoteFields.top` is sure to be read).
    static var keepsDepth: Bool { get }
    /// Forgets earlier quotes: a `data` member starts over.
    mutating func reset(bodyBytes: Int)
    /// Takes one quote; `bids` and `asks` hold its levels only when `keepsDepth`.
    mutating func add(_ fields: QuoteFields, key: QuoteKeyText, bids: [BrokerDepthLevel], asks: [BrokerDepthLevel],
                      bytes: UnsafeBufferPointer<UInt8>)
    /// Takes the next member whole when it is in the sink's fast shape; false leaves the scanner alone.
    mutating func addExpected(_ scanner: inout KiteByteScanner) -> Bool
}

extension QuoteMapSink {
    @inline(__always)
    mutating func addExpected(_ scanner: inout KiteByteScanner) -> Bool { false }
}

/// A quote's scalar fields as decoded; the depth arrays travel separately.
struct QuoteFields {
    var top = BrokerQuoteTop()
    var lastQuantity: Int64 = 0
    var averagePricePaise: Int64 = 0
    var buyQuantity: Int64 = 0
    var sellQuantity: Int64 = 0
    var openPaise: Int64 = 0
    var highPaise: Int64 = 0
    var lowPaise: Int64 = 0
    var closePaise: Int64 = 0
    var oiDayHigh: Int64 = 0
    var oiDayLow: Int64 = 0
    var netChangePaise: Int64 = 0
    var lowerCircuitPaise: Int64 = 0
    var upperCircuitPaise: Int64 = 0

    /// The best bid (price and quantity kept).
    var bid: BrokerDepthLevel {
        get { BrokerDepthLevel(pricePaise: top.bidPaise, quantity: top.bidQuantity, orders: 0) }
        set {
            top.bidPaise = newValue.pricePaise
            top.bidQuantity = newValue.quantity
        }
    }

    /// The best ask (price and quantity kept).
    var ask: BrokerDepthLevel {
        get { BrokerDepthLevel(pricePaise: top.askPaise, quantity: top.askQuantity, orders: 0) }
        set {
            top.askPaise = newValue.pricePaise
            top.askQuantity = newValue.quantity
        }
    }
}

/// A quote map key as read: its byte range, plus the decoded `String` when the bytes are not
/// plain ASCII (escapes or UTF-8), which is validated exactly as `KiteByteScanner.string()` does.
struct QuoteKeyText {
    let start: Int
    let end: Int
    /// Nil when the raw bytes are the key (unescaped ASCII).
    let string: String?

    @inline(__always)
    init(_ scanner: inout KiteByteScanner) throws(BrokerError) {
        let raw = try scanner.rawString()
        start = raw.start
        end = raw.end
        var high: UInt8 = 0
        for position in raw.start..<raw.end { high |= scanner.bytes[position] }
        string = raw.escaped || high >= 0x80 ? try scanner.stringValue(raw) : nil
    }

    /// The key as text (for errors and unmatched keys).
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        string ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func text(_ scanner: KiteByteScanner) -> String { text(scanner.bytes) }
}

/// Collects full `BrokerQuote`s in the response's order.
struct FullSink: QuoteMapSink {
    static var keepsDepth: Bool { true }
    var quotes: [BrokerQuote] = []

    mutating func reset(bodyBytes: Int) {
        quotes = []
        quotes.reserveCapacity(bodyBytes / 600 + 1)
    }

    mutating func add(_ fields: QuoteFields, key: QuoteKeyText, bids: [BrokerDepthLevel], asks: [BrokerDepthLevel],
                      bytes: UnsafeBufferPointer<UInt8>) {
        var quote = BrokerQuote(key: key.text(bytes), instrumentToken: fields.top.instrumentToken)
        quote.timestamp = fields.top.timestamp
        quote.lastTradeTime = fields.top.lastTradeTime
        quote.lastPricePaise = fields.top.lastPricePaise
        quote.lastQuantity = fields.lastQuantity
        quote.averagePricePaise = fields.averagePricePaise
        quote.volume = fields.top.volume
        quote.buyQuantity = fields.buyQuantity
        quote.sellQuantity = fields.sellQuantity
        quote.openPaise = fields.openPaise
        quote.highPaise = fields.highPaise
        quote.lowPaise = fields.lowPaise
        quote.closePaise = fields.closePaise
        quote.oi = fields.top.oi
        quote.oiDayHigh = fields.oiDayHigh
        quote.oiDayLow = fields.oiDayLow
        quote.netChangePaise = fields.netChangePaise
        quote.lowerCircuitPaise = fields.lowerCircuitPaise
        quote.upperCircuitPaise = fields.upperCircuitPaise
        quote.bids = bids
        quote.asks = asks
        quotes.append(quote)
    }
}

/// Matches each quote's key to the requested keys and keeps its top.
///
/// A broker answers in request order (the mock does; a partial answer skips some keys), so the
/// next requested key is compared first, as bytes, then a few after it; only a key found
/// neither way is hashed. Byte equality is `String` equality when both sides are ASCII; any
/// other key is matched as a `String`.
struct TopSink: QuoteMapSink {
    static var keepsDepth: Bool { false }
    /// Requested keys compared as bytes past the expected one before hashing.
    static let lookahead = 8
    let keys: QuoteKeyIndex
    let expectedFirst: Int
    var cursor: Int
    var result = MatchedQuotes()
    /// `keys.quotedKeys`, `keys.quotedEnds` and `keys.firstPositions`, valid while the body is decoded.
    let quoted: UnsafeBufferPointer<UInt8>
    let quotedEnds: UnsafeBufferPointer<Int>
    let firstPositions: UnsafeBufferPointer<Int>
    /// The tape memo's bytes and entries (`QuoteTapeMemo`), one slot per key position; empty without one.
    let tape: UnsafeMutableBufferPointer<UInt8>
    let tapeEntries: UnsafeMutableBufferPointer<QuoteTapeMemo.Entry>

    init(keys: QuoteKeyIndex, expectedFirst: Int, quoted: UnsafeBufferPointer<UInt8>, quotedEnds: UnsafeBufferPointer<Int>,
         firstPositions: UnsafeBufferPointer<Int>, tape: UnsafeMutableBufferPointer<UInt8> = UnsafeMutableBufferPointer(start: nil, count: 0),
         tapeEntries: UnsafeMutableBufferPointer<QuoteTapeMemo.Entry> = UnsafeMutableBufferPointer(start: nil, count: 0)) {
        self.keys = keys
        self.expectedFirst = expectedFirst
        cursor = expectedFirst
        self.quoted = quoted
        self.quotedEnds = quotedEnds
        self.firstPositions = firstPositions
        self.tape = tape
        self.tapeEntries = tapeEntries
    }

    /// The common member: the expected key, spelled `"KEY":` exactly as requested, then a canonical quote.
    ///
    /// Equal bytes of a key with no quote, backslash, control or non-ASCII byte are the raw key `add`
    /// would read and match first at this position (with `keys.isASCII`), so the result is the same;
    /// anything else returns false and `add` reads the member the general way.
    @inline(__always)
    mutating func addExpected(_ scanner: inout KiteByteScanner) -> Bool {
        let probe = max(0, cursor)
        guard keys.isASCII, probe &+ 1 < quotedEnds.count, let base = scanner.bytes.baseAddress, let patterns = quoted.baseAddress
        else { return false }
        let start = quotedEnds[probe]
        let length = quotedEnds[probe &+ 1] &- start
        let index = scanner.index
        guard length > 0, scanner.bytes.count &- index >= length, KiteByteScanner.equalKey(base + index, patterns + start, length)
        else { return false }
        var top = BrokerQuoteTop()
        var slot: TapeSlot?
        if probe < tapeEntries.count, let bytes = tape.baseAddress, let entries = tapeEntries.baseAddress {
            slot = TapeSlot(bytes: bytes + probe &* QuoteTapeMemo.slotBytes, entry: entries + probe)
        }
        guard CanonicalTopReader.read(&scanner, at: index &+ length, into: &top, slot: slot) else { return false }
        cursor = probe &+ 1
        result.matched.append(MatchedQuotes.Entry(position: firstPositions[probe], quote: top))
        return true
    }

    mutating func reset(bodyBytes: Int) {
        result = MatchedQuotes()
        result.matched.reserveCapacity(min(keys.keys.count, bodyBytes / 600 + 1))
        cursor = expectedFirst
    }

    mutating func add(_ fields: QuoteFields, key: QuoteKeyText, bids: [BrokerDepthLevel], asks: [BrokerDepthLevel],
                      bytes: UnsafeBufferPointer<UInt8>) {
        if key.string == nil, keys.isASCII {
            let start = bytes.baseAddress! + key.start
            let count = key.end - key.start
            var probe = max(0, cursor)
            let limit = min(keys.keys.count, probe + TopSink.lookahead)
            while probe < limit {
                if keys.key(at: probe, equals: start, count: count) {
                    cursor = probe + 1
                    result.matched.append(MatchedQuotes.Entry(position: keys.firstPositions[probe], quote: fields.top))
                    return
                }
                probe += 1
            }
        }
        let text = key.text(bytes)
        if let position = keys.position(of: text) {
            cursor = position + 1
            result.matched.append(MatchedQuotes.Entry(position: position, quote: fields.top))
        } else {
            result.unrequested.append(MatchedQuotes.Unrequested(key: text, quote: fields.top))
        }
    }
}
