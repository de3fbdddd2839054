/// The part of a full quote the collector stores: last price, best bid and ask, volume, OI and times.
///
/// Prices in paise, quantities and OI in units. A side without depth levels reads as price and
/// quantity 0, as `BrokerQuote.bids.first?.pricePaise ?? 0` does. Decoding straight into this
/// (`BrokerClient.parseQuoteTops`) builds no strings and no depth arrays.
public struct BrokerQuoteTop: Sendable, Equatable {
    public var instrumentToken: UInt32 = 0
    /// Exchange time of the snapshot, nil when absent or not 19 characters.
    public var timestamp: Instant?
    /// Time of the last trade, nil when `""` (indices) or absent.
    public var lastTradeTime: Instant?
    public var lastPricePaise: Int64 = 0
    public var volume: Int64 = 0
    public var oi: Int64 = 0
    /// Best bid price and quantity (0 when the book side is empty).
    public var bidPaise: Int64 = 0
    public var bidQuantity: Int64 = 0
    /// Best ask price and quantity (0 when the book side is empty).
    public var askPaise: Int64 = 0
    public var askQuantity: Int64 = 0

    public init() {}

    /// The top of a fully decoded quote.
    public init(_ quote: BrokerQuote) {
        instrumentToken = quote.instrumentToken
        timestamp = quote.timestamp
        lastTradeTime = quote.lastTradeTime
        lastPricePaise = quote.lastPricePaise
        volume = quote.volume
        oi = quote.oi
        bidPaise = quote.bids.first?.pricePaise ?? 0
        bidQuantity = quote.bids.first?.quantity ?? 0
        askPaise = quote.asks.first?.pricePaise ?? 0
        askQuantity = quote.asks.first?.quantity ?? 0
    }
}

/// The quotes of one response matched to the keys they were requested by, in the response's order.
public struct MatchedQuotes: Sendable, Equatable {
    /// A quote whose key is `keys.keys[position]` (the first position holding that key).
    public struct Entry: Sendable, Equatable {
        /// First position of the key in `QuoteKeyIndex.keys`.
        public var position: Int
        public var quote: BrokerQuoteTop
    }

    /// A quote under a key that was not requested (a well-behaved broker sends none).
    public struct Unrequested: Sendable, Equatable {
        public var key: String
        public var quote: BrokerQuoteTop
    }

    /// Quotes under requested keys, in the response's order (a later one for the same key wins).
    public var matched: [Entry] = []
    /// Quotes under keys nobody asked for, in the response's order.
    public var unrequested: [Unrequested] = []

    public init() {}

    /// `quotes` matched to `keys` by `String` key, in their order: the reference matching.
    public init(matching quotes: [BrokerQuote], keys: QuoteKeyIndex) {
        for quote in quotes {
            if let position = keys.position(of: quote.key) {
                matched.append(Entry(position: position, quote: BrokerQuoteTop(quote)))
            } else {
                unrequested.append(Unrequested(key: quote.key, quote: BrokerQuoteTop(quote)))
            }
        }
    }
}

/// Quote keys (`EXCHANGE:TRADINGSYMBOL`) indexed for matching a response's entries to them.
///
/// Matching follows `String` equality. Positions are first occurrences, so a key listed twice
/// always matches its first position. Build one per distinct key list and reuse it: building
/// hashes every key once.
public struct QuoteKeyIndex: Sendable {
    /// The keys, in request order.
    public let keys: [String]
    /// For each position, the first position holding the same key.
    public let firstPositions: [Int]
    /// Whether every key is ASCII, so byte equality decides `String` equality.
    public let isASCII: Bool
    let positions: [String: Int]
    /// Each key as the bytes `"KEY":` back to back, for keys of ASCII bytes other than quote, backslash
    /// and controls (a key written that way reads back as itself); other keys have no bytes here.
    let quotedKeys: [UInt8]
    /// Where each key's quoted bytes end in `quotedKeys`, after a leading 0: key `i` spans
    /// `quotedEnds[i]..<quotedEnds[i + 1]` (empty for a key without quoted bytes).
    let quotedEnds: [Int]

    public init(keys: [String]) {
        self.keys = keys
        var positions: [String: Int] = [:]
        positions.reserveCapacity(keys.count)
        var firstPositions: [Int] = []
        firstPositions.reserveCapacity(keys.count)
        var isASCII = true
        var quotedKeys: [UInt8] = []
        quotedKeys.reserveCapacity(keys.reduce(0) { $0 + $1.utf8.count + 3 })
        var quotedEnds = [0]
        quotedEnds.reserveCapacity(keys.count + 1)
        for (position, key) in keys.enumerated() {
            // One lookup per key: the default (this position) is stored only when the key is new.
            firstPositions.append(Self.value(&positions[key, default: position]))
            var key = key
            key.withUTF8 { bytes in
                var plain = true
                for byte in bytes where byte < 0x20 || byte >= 0x80 || byte == 0x22 || byte == 0x5C {
                    plain = false
                    if byte >= 0x80 { isASCII = false }
                }
                guard plain else { return }
                quotedKeys.append(0x22)
                quotedKeys.append(contentsOf: bytes)
                quotedKeys.append(0x22)
                quotedKeys.append(0x3A)
            }
            quotedEnds.append(quotedKeys.count)
        }
        self.quotedKeys = quotedKeys
        self.quotedEnds = quotedEnds
        self.positions = positions
        self.firstPositions = firstPositions
        self.isASCII = isASCII
    }

    /// The value at an inout access (reads a dictionary's `[key, default:]` through its modify accessor).
    private static func value(_ value: inout Int) -> Int { value }

    /// The first position holding `key`, or nil when it was not requested.
    public func position(of key: String) -> Int? { positions[key] }

    /// Whether the ASCII bytes at `start` (`count` of them) are exactly the key at `position`.
    @inline(__always)
    func key(at position: Int, equals start: UnsafePointer<UInt8>, count: Int) -> Bool {
        let equal: Bool? = keys[position].utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.count == count && (count == 0 || KiteByteScanner.equal(utf8.baseAddress!, start, count))
        }
        if let equal { return equal }
        return keys[position] == String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }
}
