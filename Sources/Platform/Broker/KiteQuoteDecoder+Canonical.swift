/// The quote object exactly as Kite and the mock write it, read as one template.
///
/// Fields in Kite's order, no blanks, numbers in their plain shape: literal fragments are compared
/// 8 bytes at a time and numbers read inline, with no per-key dispatch and nothing that throws.
/// On any other input `read` returns false and the caller rewinds to the general reader, which
/// therefore alone decides every error. Everything `read` accepts, the general reader reads to the
/// same values (the same number rule, the same timestamp rule, the same 64-level bound).
struct CanonicalQuoteReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position: Int

    /// Most depth levels the general reader accepts on one side.
    static let levelsMax = 64

    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard position &+ length <= count, KiteByteScanner.equal(base + position, text.utf8Start, length) else { return false }
        position &+= length
        return true
    }

    @inline(__always)
    mutating func number(_ scale: Int) -> Int64? {
        KiteByteScanner.simpleNumber(base, count, at: &position, scale: scale)
    }

    /// Checks and passes a number `number(scale)` would accept, without its value.
    @inline(__always)
    mutating func skip(_ scale: Int) -> Bool {
        KiteByteScanner.skipSimpleNumber(base, count, at: &position, scale: scale)
    }

    /// The number when `keep`, else 0 once checked and passed; nil when not the simple shape.
    @inline(__always)
    mutating func number(_ scale: Int, keep: Bool) -> Int64? {
        if keep { return number(scale) }
        return skip(scale) ? 0 : nil
    }

    /// `""` reads as `.some(nil)`; a quoted `YYYY-MM-DD HH:MM:SS` with exactly those separators as its
    /// instant; anything else as nil (not canonical).
    @inline(__always)
    mutating func stamp(_ scanner: inout KiteByteScanner) -> Instant?? {
        guard position + 2 <= count, base[position] == 0x22 else { return nil }
        if base[position + 1] == 0x22 {
            position += 2
            return .some(nil)
        }
        let start = position + 1
        guard start + 20 <= count, base[start + 19] == 0x22, base[start + 4] == 0x2D, base[start + 7] == 0x2D,
            base[start + 10] == 0x20, base[start + 13] == 0x3A, base[start + 16] == 0x3A,
            let instant = scanner.stamp19(at: start)
        else { return nil }
        position = start + 20
        return .some(instant)
    }

    /// Reads depth levels after `[` through `]`; returns the best (zero when empty), or nil.
    @inline(__always)
    mutating func levels(keep: Bool, into levels: inout [BrokerDepthLevel]) -> BrokerDepthLevel? {
        var best = BrokerDepthLevel(pricePaise: 0, quantity: 0, orders: 0)
        guard position < count else { return nil }
        if base[position] == 0x5D {
            position += 1
            return best
        }
        var read = 0
        while true {
            // Without `keep` only the best level's price and quantity are read; the rest is checked and passed.
            var level = BrokerDepthLevel(pricePaise: 0, quantity: 0, orders: 0)
            if keep || read == 0 {
                guard literal(#"{"price":"#), let price = number(2), literal(#","quantity":"#), let quantity = number(0),
                    literal(#","orders":"#)
                else { return nil }
                level.pricePaise = price
                level.quantity = quantity
                if keep {
                    guard let orders = number(0) else { return nil }
                    level.orders = orders
                } else {
                    guard skip(0) else { return nil }
                }
            } else {
                guard literal(#"{"price":"#), skip(2), literal(#","quantity":"#), skip(0), literal(#","orders":"#), skip(0)
                else { return nil }
            }
            guard literal("}"), read < CanonicalQuoteReader.levelsMax, position < count else { return nil }
            if read == 0 { best = level }
            if keep { levels.append(level) }
            read &+= 1
            let next = base[position]
            position &+= 1
            if next == 0x5D { return best }
            guard next == 0x2C else { return nil }
        }
    }

    /// Reads one whole quote object into `quote` (and the levels into `bids`/`asks` when `keepDepth`),
    /// advancing the scanner past it; false leaves the scanner where it was. Without `keepDepth` only
    /// `quote.top` is read: every other number is checked by the same rule and passed, its field left 0.
    @inline(__always)
    static func read(_ scanner: inout KiteByteScanner, into quote: inout QuoteFields, keepDepth: Bool,
                     bids: inout [BrokerDepthLevel], asks: inout [BrokerDepthLevel]) -> Bool {
        guard let base = scanner.bytes.baseAddress else { return false }
        var reader = CanonicalQuoteReader(base: base, count: scanner.bytes.count, position: scanner.index)
        var fields = QuoteFields()
        guard reader.literal(#"{"instrument_token":"#), let token = reader.number(0), let narrow = UInt32(exactly: token),
            reader.literal(#","timestamp":"#), let timestamp = reader.stamp(&scanner),
            reader.literal(#","last_trade_time":"#), let lastTradeTime = reader.stamp(&scanner),
            reader.literal(#","last_price":"#), let lastPrice = reader.number(2),
            reader.literal(#","last_quantity":"#), let lastQuantity = reader.number(0, keep: keepDepth),
            reader.literal(#","buy_quantity":"#), let buyQuantity = reader.number(0, keep: keepDepth),
            reader.literal(#","sell_quantity":"#), let sellQuantity = reader.number(0, keep: keepDepth),
            reader.literal(#","volume":"#), let volume = reader.number(0),
            reader.literal(#","average_price":"#), let averagePrice = reader.number(2, keep: keepDepth),
            reader.literal(#","oi":"#), let oi = reader.number(0),
            reader.literal(#","oi_day_high":"#), let oiDayHigh = reader.number(0, keep: keepDepth),
            reader.literal(#","oi_day_low":"#), let oiDayLow = reader.number(0, keep: keepDepth),
            reader.literal(#","net_change":"#), let netChange = reader.number(2, keep: keepDepth),
            reader.literal(#","lower_circuit_limit":"#), let lowerCircuit = reader.number(2, keep: keepDepth),
            reader.literal(#","upper_circuit_limit":"#), let upperCircuit = reader.number(2, keep: keepDepth),
            reader.literal(#","ohlc":{"open":"#), let open = reader.number(2, keep: keepDepth),
            reader.literal(#","high":"#), let high = reader.number(2, keep: keepDepth),
            reader.literal(#","low":"#), let low = reader.number(2, keep: keepDepth),
            reader.literal(#","close":"#), let close = reader.number(2, keep: keepDepth),
            reader.literal(#"},"depth":{"buy":["#)
        else { return false }
        if keepDepth {
            bids = []
            asks = []
        }
        guard let bid = reader.levels(keep: keepDepth, into: &bids), reader.literal(#","sell":["#),
            let ask = reader.levels(keep: keepDepth, into: &asks), reader.literal("}}")
        else { return false }
        fields.top.instrumentToken = narrow
        fields.top.timestamp = timestamp
        fields.top.lastTradeTime = lastTradeTime
        fields.top.lastPricePaise = lastPrice
        fields.lastQuantity = lastQuantity
        fields.buyQuantity = buyQuantity
        fields.sellQuantity = sellQuantity
        fields.top.volume = volume
        fields.averagePricePaise = averagePrice
        fields.top.oi = oi
        fields.oiDayHigh = oiDayHigh
        fields.oiDayLow = oiDayLow
        fields.netChangePaise = netChange
        fields.lowerCircuitPaise = lowerCircuit
        fields.upperCircuitPaise = upperCircuit
        fields.openPaise = open
        fields.highPaise = high
        fields.lowPaise = low
        fields.closePaise = close
        fields.bid = bid
        fields.ask = ask
        quote = fields
        scanner.index = reader.position
        return true
    }
}
