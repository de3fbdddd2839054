/// The canonical quote object read for its top only, with one bounds check per stretch instead of one per byte.
///
/// The collector's path (`parseQuoteTops`): the same template as `CanonicalQuoteReader` (Kite's field
/// order, no blanks, numbers in their plain shape), but only the top's numbers are converted; every other
/// number is checked by the same rule and passed. Each stretch (the fields before the depth, one depth
/// level, the closing brackets) first checks that enough bytes remain for its longest canonical form,
/// then reads without bounds checks. When fewer remain (the body's last quote) or the shape differs,
/// `read` returns false and the caller falls back to `CanonicalQuoteReader` and the general reader,
/// which alone decide every error. Everything `read` accepts, `CanonicalQuoteReader` accepts with the
/// same top (the same literals, the same number rule, the same 64-level bound).
struct CanonicalTopReader {
    let base: UnsafePointer<UInt8>
    var position: Int

    /// Bytes the fields before the depth can span, read-ahead included: 19 literals of at most 317
    /// bytes, 17 numbers of at most 20 (`-`, 15 digits, `.`, 3 digits), 2 quoted 19-byte times and the
    /// 26 bytes the last number may load past its start.
    static let headerSpan = 1024
    /// Bytes one depth level can span, read-ahead included: 32 literal bytes, 3 numbers, the separator.
    static let levelSpan = 128

    /// Compares `text` at the position (the caller has checked the bytes are there) and passes it.
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard KiteByteScanner.equal(base + position, text.utf8Start, length) else { return false }
        position &+= length
        return true
    }

    /// `KiteByteScanner.simpleNumber` at the position (at least 32 bytes remain, so its word path runs).
    @inline(__always)
    mutating func number(_ scale: Int) -> Int64? {
        KiteByteScanner.simpleNumber(base, position &+ 32, at: &position, scale: scale)
    }

    /// Checks and passes a number `number(scale)` accepts when a literal starting with `,` or `}` follows.
    ///
    /// `[-]digits[.digits]`: 1…15 integer digits, 1…`scale` fraction digits. The byte after it is left
    /// to the next literal, which is neither a digit, `.`, `e` nor `E`: that is `simpleNumber`'s last check.
    @inline(__always)
    mutating func skip(_ scale: Int) -> Bool {
        var at = position
        if base[at] == 0x2D { at &+= 1 }
        var digits = KiteByteScanner.digitCount(KiteByteScanner.load8(base + at))
        if digits == 8 {
            let second = KiteByteScanner.digitCount(KiteByteScanner.load8(base + (at &+ 8)))
            guard second < 8 else { return false }
            digits &+= second
        }
        guard digits > 0 else { return false }
        at &+= digits
        if base[at] == 0x2E {
            at &+= 1
            let fraction = KiteByteScanner.digitCount(KiteByteScanner.load8(base + at))
            guard fraction > 0, fraction <= scale else { return false }
            at &+= fraction
        }
        position = at
        return true
    }

    /// A quoted time as `CanonicalQuoteReader.stamp` reads it: `""` as `.some(nil)`, a quoted
    /// `YYYY-MM-DD HH:MM:SS` as its instant, anything else nil.
    @inline(__always)
    mutating func stamp(_ scanner: inout KiteByteScanner) -> Instant?? {
        guard base[position] == 0x22 else { return nil }
        if base[position &+ 1] == 0x22 {
            position &+= 2
            return .some(nil)
        }
        let start = position &+ 1
        guard base[start &+ 19] == 0x22, base[start &+ 4] == 0x2D, base[start &+ 7] == 0x2D, base[start &+ 10] == 0x20,
            base[start &+ 13] == 0x3A, base[start &+ 16] == 0x3A, let instant = scanner.stamp19(at: start)
        else { return nil }
        position = start &+ 20
        return .some(instant)
    }

    /// Reads depth levels after `[` through `]`: the best level's price and quantity (zero when empty), every
    /// other number checked and passed; nil when not canonical, more than 64 levels or too near the end.
    @inline(__always)
    mutating func best(count: Int) -> (price: Int64, quantity: Int64)? {
        guard count &- position >= CanonicalTopReader.levelSpan else { return nil }
        if base[position] == 0x5D {
            position &+= 1
            return (0, 0)
        }
        guard literal(#"{"price":"#), let price = number(2), literal(#","quantity":"#), let quantity = number(0),
            literal(#","orders":"#), skip(0), literal("}")
        else { return nil }
        var read = 1
        while true {
            let next = base[position]
            position &+= 1
            if next == 0x5D { return (price, quantity) }
            guard next == 0x2C, read < CanonicalQuoteReader.levelsMax, count &- position >= CanonicalTopReader.levelSpan,
                literal(#"{"price":"#), skip(2), literal(#","quantity":"#), skip(0), literal(#","orders":"#), skip(0),
                literal("}")
            else { return nil }
            read &+= 1
        }
    }

    /// Reads the quote object at `start` into `top` and moves the scanner past it; false (scanner and
    /// `top` untouched) when the object is not in the canonical layout or the body ends too soon.
    @inline(__always)
    static func read(_ scanner: inout KiteByteScanner, at start: Int, into top: inout BrokerQuoteTop) -> Bool {
        guard let base = scanner.bytes.baseAddress else { return false }
        let count = scanner.bytes.count
        guard count &- start >= CanonicalTopReader.headerSpan else { return false }
        var reader = CanonicalTopReader(base: base, position: start)
        guard reader.literal(#"{"instrument_token":"#), let token = reader.number(0), let narrow = UInt32(exactly: token),
            reader.literal(#","timestamp":"#), let timestamp = reader.stamp(&scanner),
            reader.literal(#","last_trade_time":"#), let lastTradeTime = reader.stamp(&scanner),
            reader.literal(#","last_price":"#), let lastPrice = reader.number(2),
            reader.literal(#","last_quantity":"#), reader.skip(0),
            reader.literal(#","buy_quantity":"#), reader.skip(0),
            reader.literal(#","sell_quantity":"#), reader.skip(0),
            reader.literal(#","volume":"#), let volume = reader.number(0),
            reader.literal(#","average_price":"#), reader.skip(2),
            reader.literal(#","oi":"#), let oi = reader.number(0),
            reader.literal(#","oi_day_high":"#), reader.skip(0),
            reader.literal(#","oi_day_low":"#), reader.skip(0),
            reader.literal(#","net_change":"#), reader.skip(2),
            reader.literal(#","lower_circuit_limit":"#), reader.skip(2),
            reader.literal(#","upper_circuit_limit":"#), reader.skip(2),
            reader.literal(#","ohlc":{"open":"#), reader.skip(2),
            reader.literal(#","high":"#), reader.skip(2),
            reader.literal(#","low":"#), reader.skip(2),
            reader.literal(#","close":"#), reader.skip(2),
            reader.literal(#"},"depth":{"buy":["#),
            let bid = reader.best(count: count),
            count &- reader.position >= 16, reader.literal(#","sell":["#),
            let ask = reader.best(count: count),
            count &- reader.position >= 16, reader.literal("}}")
        else { return false }
        top.instrumentToken = narrow
        top.timestamp = timestamp
        top.lastTradeTime = lastTradeTime
        top.lastPricePaise = lastPrice
        top.volume = volume
        top.oi = oi
        top.bidPaise = bid.price
        top.bidQuantity = bid.quantity
        top.askPaise = ask.price
        top.askQuantity = ask.quantity
        scanner.index = reader.position
        return true
    }
}
