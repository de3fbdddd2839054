import Glibc

/// The canonical quote object read for its top only, with one bounds check per stretch instead of one per byte.
///
/// The collector's path (`parseQuoteTops`): the same template as `CanonicalQuoteReader` (Kite's field
/// order, no blanks, numbers in their plain shape), but only the top's numbers are converted; every other
/// number is checked by the same rule, or a narrower one (depth levels after the best: 1–8 unsigned
/// digits, a little wider than the mock's 1–7), and passed; the token and the best level's price and quantity are read
/// unsigned. Each stretch (the fields before the depth, one depth
/// level, the closing brackets) first checks that enough bytes remain for its longest canonical form,
/// then reads without bounds checks. When fewer remain (the body's last quote) or the shape differs,
/// `read` returns false and the caller falls back to `CanonicalQuoteReader` and the general reader,
/// which alone decide every error. Everything `read` accepts, `CanonicalQuoteReader` accepts with the
/// same top (the same literals, the same number rule, the same 64-level bound).
enum CanonicalTopReader {
    /// Bytes the fields before the depth can span, read-ahead included: 20 literals of 296 bytes,
    /// 17 numbers of at most 20 (`-`, 15 digits, `.`, 3 digits), 2 quoted 19-byte times and the
    /// 26 bytes the last number may load past its start.
    static let headerSpan = 1024
    /// Bytes one depth level can span, read-ahead included: 33 literal bytes, 3 numbers, the 11 bytes
    /// compared after the last one.
    static let levelSpan = 128

    /// Whether `text` is at `position` (the caller has checked the bytes are there); passes it if so.
    @inline(__always)
    static func literal(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard KiteByteScanner.equalLiteral(base + position, text.utf8Start, length) else { return false }
        position &+= length
        return true
    }

    /// The 1…15 digits at `position` as a value, passing them; nil (nothing passed) for none or more.
    @inline(__always)
    static func digits(_ base: UnsafePointer<UInt8>, _ position: inout Int) -> Int64? {
        let first = KiteByteScanner.digitRun(KiteByteScanner.load8(base + position))
        if first.digits < 8 {
            guard first.digits > 0 else { return nil }
            position &+= first.digits
            return Int64(first.value)
        }
        let second = KiteByteScanner.digitRun(KiteByteScanner.load8(base + (position &+ 8)))
        guard second.digits < 8 else { return nil }
        position &+= 8 &+ second.digits
        // 10^digits (0…7) from its binary digits: three selects, no table, no loop.
        let count = second.digits
        var scale: Int64 = count & 1 != 0 ? 10 : 1
        scale &*= count & 2 != 0 ? 100 : 1
        scale &*= count & 4 != 0 ? 10_000 : 1
        return Int64(first.value) &* scale &+ Int64(second.value)
    }

    /// How many of the 8 bytes at `pointer` lead with ASCII digits, 0…8: a run of more than 8 also gives 8,
    /// so the check that follows it (a literal, `.` or the next level) sees a digit and declines.
    @inline(__always)
    static func run(_ pointer: UnsafePointer<UInt8>) -> Int {
        // No flag at all (8 digits) counts 64 trailing zeros: 8.
        KiteByteScanner.digitFlags(KiteByteScanner.load8(pointer)).trailingZeroBitCount &>> 3
    }

    /// `KiteByteScanner.simpleNumber` with `scale` 0 or 2 at `position`, when a literal starting with `,` or
    /// `}` follows (its last check, no digit, `.`, `e` or `E` next, is that literal's first byte).
    ///
    /// `[-]digits[.digits]`: 1…15 integer digits, 1…`scale` fraction digits, scaled by 10^`scale`.
    @inline(__always)
    static func number(_ base: UnsafePointer<UInt8>, _ position: inout Int, scale: Int) -> Int64? {
        var at = position
        let negative = base[at] == 0x2D
        if negative { at &+= 1 }
        guard let value = unsignedNumber(base, &at, scale: scale) else { return nil }
        position = at
        return negative ? 0 &- value : value
    }

    /// `number` without a sign (a `-` declines): the instrument token when its slot does not remember it,
    /// never negative as the mock writes it, read without the sign's steps (the best depth level's price and
    /// quantity have their own narrower reader, `side`).
    @inline(__always)
    static func unsignedNumber(_ base: UnsafePointer<UInt8>, _ position: inout Int, scale: Int) -> Int64? {
        var at = position
        guard var value = digits(base, &at) else { return nil }
        if scale == 2 {
            value &*= 100
            if base[at] == 0x2E {
                // `.d` or `.dd`: a third digit stays where the following literal is compared, which declines.
                let tens = base[at &+ 1] &- 0x30
                guard tens < 10 else { return nil }
                let units = base[at &+ 2] &- 0x30
                let two = units < 10
                value &+= Int64(tens) &* 10 &+ (two ? Int64(units) : 0)
                at &+= two ? 3 : 2
            }
        }
        position = at
        return value
    }

    /// Checks and passes what `number(scale)` accepts (the same conditions), without its value.
    @inline(__always)
    static func skip(_ base: UnsafePointer<UInt8>, _ position: inout Int, scale: Int) -> Bool {
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
        if scale > 0, base[at] == 0x2E {
            let fraction = KiteByteScanner.digitCount(KiteByteScanner.load8(base + (at &+ 1)))
            guard fraction > 0, fraction <= scale else { return false }
            at &+= 1 &+ fraction
        }
        position = at
        return true
    }

    /// Checks and passes 1…7 digits, then for `fraction` a `.` and 1 or 2 digits if a `.` follows: a depth
    /// number as the mock writes it (unsigned, short). `skip` accepts all of these; a longer or signed number
    /// is declined here and read by the fallback readers.
    @inline(__always)
    static func depthNumber(_ base: UnsafePointer<UInt8>, _ position: inout Int, fraction: Bool) -> Bool {
        var at = position
        let digits = KiteByteScanner.digitFlags(KiteByteScanner.load8(base + at)).trailingZeroBitCount &>> 3
        guard UInt(bitPattern: digits &- 1) < 7 else { return false }
        at &+= digits
        if fraction, !passFraction(base, &at) { return false }
        position = at
        return true
    }

    /// Passes `.d` or `.dd` when a `.` is at `position` (a third digit is left where the following literal
    /// is compared, so the caller declines); false for a `.` without a digit.
    @inline(__always)
    static func passFraction(_ base: UnsafePointer<UInt8>, _ position: inout Int) -> Bool {
        if base[position] == 0x2E {
            guard base[position &+ 1] &- 0x30 < 10 else { return false }
            position &+= base[position &+ 2] &- 0x30 < 10 ? 3 : 2
        }
        return true
    }

    /// `skip` with the short unsigned shape tried first (the common case, in fewer steps).
    @inline(__always)
    static func pass(_ base: UnsafePointer<UInt8>, _ position: inout Int, scale: Int) -> Bool {
        depthNumber(base, &position, fraction: scale > 0) || skip(base, &position, scale: scale)
    }

    /// A quoted time as `CanonicalQuoteReader.stamp` reads it: `""` as `.some(nil)`, a quoted
    /// `YYYY-MM-DD HH:MM:SS` as its instant, anything else nil. The last time this field read in full is
    /// compared first (a response's quotes share their `timestamp`, and the date of their trade times):
    /// all 21 bytes equal give its instant; the first 12 (`"YYYY-MM-DD `) equal leave only the clock to read.
    @inline(__always)
    static func stamp(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ scanner: inout KiteByteScanner, field: Int)
        -> Instant??
    {
        let cached = field == 0 ? scanner.timestampSeen : scanner.tradeTimeSeen
        let p = base + position
        let head = KiteByteScanner.load8(p)
        let middle = KiteByteScanner.load8(p + 8)
        if head == cached.head, (middle ^ cached.middle) & 0xFFFF_FFFF == 0 {
            let tail = KiteByteScanner.load8(p + 13)
            if middle == cached.middle, tail == cached.tail {
                position &+= 21
                return .some(cached.instant)
            }
            if p[20] == 0x22, let seconds = secondOfDay(KiteByteScanner.load8(p + 12)) {
                let instant = Instant(nanosecondsSinceEpoch: cached.midnight.nanosecondsSinceEpoch &+ seconds &* 1_000_000_000)
                let seen = QuotedTime(head: head, middle: middle, tail: tail, instant: instant, midnight: cached.midnight)
                if field == 0 { scanner.timestampSeen = seen } else { scanner.tradeTimeSeen = seen }
                position &+= 21
                return .some(instant)
            }
        }
        return stampInFull(base, &position, &scanner, field: field)
    }

    /// The second of the day of `HH:MM:SS` in 8 bytes read little-endian, or nil when a separator is not
    /// `:`, a digit is not one, or the time is out of range: `KiteByteScanner.stamp19`'s clock rule.
    @inline(__always)
    static func secondOfDay(_ clock: UInt64) -> Int64? {
        guard clock & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000 else { return nil }
        return KiteByteScanner.clockSecond(clock)
    }

    /// `stamp` without the remembered time; remembers a quoted time it reads.
    @inline(never)
    static func stampInFull(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ scanner: inout KiteByteScanner, field: Int)
        -> Instant??
    {
        guard base[position] == 0x22 else { return nil }
        if base[position &+ 1] == 0x22 {
            position &+= 2
            return .some(nil)
        }
        let start = position &+ 1
        guard base[start &+ 19] == 0x22, base[start &+ 4] == 0x2D, base[start &+ 7] == 0x2D, base[start &+ 10] == 0x20,
            base[start &+ 13] == 0x3A, base[start &+ 16] == 0x3A, let instant = scanner.stamp19(at: start)
        else { return nil }
        // The clock was just read by `stamp19`; the same bytes give its second of the day and so the midnight.
        let seconds = secondOfDay(KiteByteScanner.load8(base + (start &+ 11))) ?? 0
        let seen = QuotedTime(head: KiteByteScanner.load8(base + position), middle: KiteByteScanner.load8(base + (position &+ 8)),
                              tail: KiteByteScanner.load8(base + (position &+ 13)), instant: instant,
                              midnight: Instant(nanosecondsSinceEpoch: instant.nanosecondsSinceEpoch &- seconds &* 1_000_000_000))
        if field == 0 { scanner.timestampSeen = seen } else { scanner.tradeTimeSeen = seen }
        position = start &+ 20
        return .some(instant)
    }

    /// `},{"price":` as the little-endian words `laterLevels` compares: bytes 0–7 and 7–10 (a 4-byte tail
    /// compares against an immediate, one step fewer than a second 8-byte word).
    static var levelHead: UInt64 { 0x6369_7270_227B_2C7D }
    static var levelHeadTail: UInt32 { 0x3A22_6563 }
    /// `,"quantity":` as bytes 0–7 and 8–11.
    static var quantityHead: UInt64 { 0x6974_6E61_7571_222C }
    static var quantityTail: UInt32 { 0x3A22_7974 }
    /// `,"orders":` as bytes 0–7 and 8–9.
    static var ordersHead: UInt64 { 0x7372_6564_726F_222C }
    static var ordersTail: UInt16 { 0x3A22 }

    /// Reads the quote object at `start` into `top` and moves the scanner past it; false (position and
    /// `top` untouched) when the object is not in the canonical layout or the body ends too soon. The
    /// scanner's remembered times may still change: they map bytes to instants whoever reads them next.
    @inline(__always)
    static func read(_ scanner: inout KiteByteScanner, at start: Int, into top: inout BrokerQuoteTop) -> Bool {
        read(&scanner, at: start, into: &top, slot: nil)
    }

    /// `read`, comparing the quote's head and tail with `slot`'s remembered ones first, and remembering them
    /// in `slot` when the quote is read whole.
    ///
    /// Why a remembered span equal byte for byte is read exactly as the full reader reads it: every check
    /// the reader makes from the head's first byte (`,` of `,"last_trade_time":`) to its end (after
    /// `last_quantity`'s digits) is decided by the head's bytes and the byte after it (a number's digit run
    /// ends at the first non-digit; a time's loads stay inside its 21 bytes; the remembered times only map
    /// bytes to the instants the full rule gives them), and a hit asks that byte to be the `,` of
    /// `,"buy_quantity":` (the `}` of `},"depth":{"buy":[` after the tail): a digit there would make the
    /// span's last number longer than the remembered one, so the span is read in full (and remembered
    /// anew) instead of declining the quote on every poll. A span is
    /// remembered only from a quote `read` accepted whole, with the values it read from those bytes, so
    /// equal bytes at the same place in the template are accepted with the same values; unequal bytes (a
    /// trade since, another instrument in the slot, a mutation, a shorter body) are read in full. Both
    /// spans lie inside the header's stretch, whose bounds check comes first either way, and the compare
    /// also checks its own bound.
    ///
    /// The token's digits are compared the same way with the slot's remembered ones (at most 16, two masked
    /// words): equal digits followed by a `,` (that of `,"timestamp":`, compared next) are the same digit
    /// run, read to the same token; a digit there (a longer token) reads the token in full and remembers it. Not inlined into the map loop: the reader keeps its base and position in registers of its own.
    @inline(never)
    static func read(_ scanner: inout KiteByteScanner, at start: Int, into top: inout BrokerQuoteTop, slot: TapeSlot?) -> Bool {
        guard let base = scanner.bytes.baseAddress else { return false }
        let count = scanner.bytes.count
        guard count &- start >= headerSpan else { return false }
        var p = start
        guard literal(base, &p, #"{"instrument_token":"#) else { return false }
        let tokenStart = p
        let narrow: UInt32
        var tokenHit = false
        if let slot, slot.entry.pointee.tokenLength > 0,
            (KiteByteScanner.load8(base + p) ^ slot.entry.pointee.tokenWord) & slot.entry.pointee.tokenMask
                | (KiteByteScanner.load8(base + (p &+ 8)) ^ slot.entry.pointee.tokenWord2) & slot.entry.pointee.tokenMask2 == 0,
            base[p &+ slot.entry.pointee.tokenLength] == 0x2C
        {
            p &+= slot.entry.pointee.tokenLength
            narrow = slot.entry.pointee.token
            tokenHit = true
        } else {
            guard let token = unsignedNumber(base, &p, scale: 0), let value = UInt32(exactly: token) else { return false }
            narrow = value
        }
        let tokenEnd = p
        guard literal(base, &p, #","timestamp":"#), let timestamp = stamp(base, &p, &scanner, field: 0) else { return false }
        let headStart = p
        let lastTradeTime: Instant?
        let lastPrice: Int64
        var headHit = false
        if let slot, remembered(base, count: count, at: p, slot.bytes, length: slot.entry.pointee.headLength),
            base[p &+ slot.entry.pointee.headLength] == 0x2C
        {
            p &+= slot.entry.pointee.headLength
            lastTradeTime = slot.entry.pointee.lastTradeTime
            lastPrice = slot.entry.pointee.lastPricePaise
            headHit = true
        } else {
            guard literal(base, &p, #","last_trade_time":"#), let time = stamp(base, &p, &scanner, field: 1),
                literal(base, &p, #","last_price":"#), let price = number(base, &p, scale: 2),
                literal(base, &p, #","last_quantity":"#), pass(base, &p, scale: 0)
            else { return false }
            lastTradeTime = time
            lastPrice = price
        }
        let headEnd = p
        guard literal(base, &p, #","buy_quantity":"#), pass(base, &p, scale: 0),
            literal(base, &p, #","sell_quantity":"#), pass(base, &p, scale: 0)
        else { return false }
        let tailStart = p
        let volume: Int64
        let oi: Int64
        var tailHit = false
        if let slot, remembered(base, count: count, at: p, slot.bytes + QuoteTapeMemo.headBytes, length: slot.entry.pointee.tailLength),
            base[p &+ slot.entry.pointee.tailLength] == 0x7D
        {
            p &+= slot.entry.pointee.tailLength
            volume = slot.entry.pointee.volume
            oi = slot.entry.pointee.oi
            tailHit = true
        } else {
            guard literal(base, &p, #","volume":"#), let readVolume = number(base, &p, scale: 0),
                literal(base, &p, #","average_price":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","oi":"#), let readOI = number(base, &p, scale: 0),
                literal(base, &p, #","oi_day_high":"#), pass(base, &p, scale: 0),
                literal(base, &p, #","oi_day_low":"#), pass(base, &p, scale: 0),
                literal(base, &p, #","net_change":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","lower_circuit_limit":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","upper_circuit_limit":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","ohlc":{"open":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","high":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","low":"#), pass(base, &p, scale: 2),
                literal(base, &p, #","close":"#), pass(base, &p, scale: 2)
            else { return false }
            volume = readVolume
            oi = readOI
        }
        let tailEnd = p
        guard literal(base, &p, #"},"depth":{"buy":["#), let depth = depth(base, &p, count: count),
            count &- p >= 16, literal(base, &p, "}}")
        else { return false }
        top.instrumentToken = narrow
        top.timestamp = timestamp
        top.lastTradeTime = lastTradeTime
        top.lastPricePaise = lastPrice
        top.volume = volume
        top.oi = oi
        top.bidPaise = depth.bid
        top.bidQuantity = depth.bidQuantity
        top.askPaise = depth.ask
        top.askQuantity = depth.askQuantity
        scanner.index = p
        if let slot {
            if !tokenHit { rememberToken(base + tokenStart, length: tokenEnd &- tokenStart, narrow, slot.entry) }
            if !headHit {
                remember(base + headStart, length: headEnd &- headStart, slot.bytes, capacity: QuoteTapeMemo.headBytes,
                         length: &slot.entry.pointee.headLength)
                slot.entry.pointee.lastTradeTime = lastTradeTime
                slot.entry.pointee.lastPricePaise = lastPrice
            }
            if !tailHit {
                remember(base + tailStart, length: tailEnd &- tailStart, slot.bytes + QuoteTapeMemo.headBytes,
                         capacity: QuoteTapeMemo.tailBytes, length: &slot.entry.pointee.tailLength)
                slot.entry.pointee.volume = volume
                slot.entry.pointee.oi = oi
            }
        }
        return true
    }

    /// Whether the `length` bytes at `position` (with 32 more after them) equal `remembered`; false when
    /// nothing is remembered (`length` 0).
    @inline(__always)
    static func remembered(_ base: UnsafePointer<UInt8>, count: Int, at position: Int, _ remembered: UnsafePointer<UInt8>,
                           length: Int) -> Bool {
        length > 0 && count &- position >= length &+ 32 && memcmp(base + position, remembered, length) == 0
    }

    /// Remembers the token's digits (at most 16) as two masked words, or forgets them when longer.
    @inline(__always)
    static func rememberToken(_ digits: UnsafePointer<UInt8>, length: Int, _ token: UInt32,
                              _ entry: UnsafeMutablePointer<QuoteTapeMemo.Entry>) {
        guard length <= 16 else {
            entry.pointee.tokenLength = 0
            return
        }
        /// The mask of the first `bytes` (0…8) bytes of a little-endian word.
        func mask(_ bytes: Int) -> UInt64 { bytes >= 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: 8 &* bytes)) &- 1 }
        let low = mask(length)
        let high = mask(max(0, length &- 8))
        entry.pointee.tokenWord = KiteByteScanner.load8(digits) & low
        entry.pointee.tokenMask = low
        entry.pointee.tokenWord2 = KiteByteScanner.load8(digits + 8) & high
        entry.pointee.tokenMask2 = high
        entry.pointee.tokenLength = length
        entry.pointee.token = token
    }

    /// Copies a span `read` accepted into a slot, or forgets the slot's span when it does not fit.
    @inline(never)
    static func remember(_ span: UnsafePointer<UInt8>, length: Int, _ slot: UnsafeMutablePointer<UInt8>, capacity: Int,
                         length stored: inout Int) {
        guard length <= capacity else {
            stored = 0
            return
        }
        slot.update(from: span, count: length)
        stored = length
    }
}

/// A quoted time the tops reader has read: its 21 bytes (`"YYYY-MM-DD HH:MM:SS"`) as the little-endian
/// words at offsets 0, 8 and 13, its instant and its day's IST midnight.
///
/// Before any, it holds a real one, `"1970-01-01 05:30:00"` (the epoch), so whatever bytes match it read
/// to the value the full rule gives them.
struct QuotedTime {
    var head: UInt64 = 0x3130_2D30_3739_3122
    var middle: UInt64 = 0x333A_3530_2031_302D
    var tail: UInt64 = 0x2230_303A_3033_3A35
    var instant = Instant(nanosecondsSinceEpoch: 0)
    var midnight = Instant(nanosecondsSinceEpoch: -19_800 * 1_000_000_000)
}
