/// The tops reader's depth: both sides' best levels read, every other level checked and passed.
///
/// A side is `[` (already passed), then `]`, or levels `{"price":P,"quantity":Q,"orders":O}` separated by
/// `,` and closed by `]`. The best level's price and quantity are read (1…7 unsigned digits, the price with
/// `.d` or `.dd`); its orders and every number of the later levels are checked as 1…8 unsigned digits, a
/// price with `.d` or `.dd`. Anything else (signs, longer runs, blanks, exponents, other fields, more than
/// 64 levels, a body ending too soon) declines, and the fallback readers decide.
extension CanonicalTopReader {
    /// `{"price"` as one little-endian word (the `:` after it is compared as a byte).
    static var priceHead: UInt64 { 0x2265_6369_7270_227B }

    /// Reads both depth sides after `"depth":{"buy":[` through the `]` of `"sell":[…]`: each side's best
    /// price and quantity (zero when the side is empty); nil when not in the canonical shape or too near
    /// the end. One function for both sides, so the literals' words and masks stay in registers.
    @inline(__always)
    static func depth(_ base: UnsafePointer<UInt8>, _ position: inout Int, count: Int)
        -> (bid: Int64, bidQuantity: Int64, ask: Int64, askQuantity: Int64)?
    {
        var at = position
        guard let bid = side(base, &at, count: count), count &- at >= 16, literal(base, &at, #","sell":["#),
            let ask = side(base, &at, count: count)
        else { return nil }
        position = at
        return (bid.price, bid.quantity, ask.price, ask.quantity)
    }

    /// One side after its `[` through `]`: the best level's price and quantity (zero when empty); nil when
    /// not canonical, more than 64 levels or too near the end.
    @inline(__always)
    static func side(_ base: UnsafePointer<UInt8>, _ position: inout Int, count: Int) -> (price: Int64, quantity: Int64)? {
        let at = position
        guard count &- at >= levelSpan else { return nil }
        if base[at] == 0x5D {
            position = at &+ 1
            return (0, 0)
        }
        guard KiteByteScanner.load8(base + at) == priceHead, base[at &+ 8] == 0x3A else { return nil }
        var p = at &+ 9
        let priceWord = KiteByteScanner.load8(base + p)
        let whole = KiteByteScanner.digitFlags(priceWord).trailingZeroBitCount &>> 3
        guard UInt(bitPattern: whole &- 1) < 7 else { return nil }
        var price = Int64(truncatingIfNeeded: KiteByteScanner.digitValue(priceWord, whole)) &* 100
        p &+= whole
        if base[p] == 0x2E {
            // `.d` or `.dd`: a third digit stays where `,"quantity":` is compared, which declines.
            let tens = base[p &+ 1] &- 0x30
            guard tens < 10 else { return nil }
            let units = base[p &+ 2] &- 0x30
            let two = units < 10
            price &+= Int64(tens) &* 10 &+ (two ? Int64(units) : 0)
            p &+= two ? 3 : 2
        }
        guard KiteByteScanner.load8(base + p) == quantityHead, KiteByteScanner.load4(base + (p &+ 8)) == quantityTail else {
            return nil
        }
        p &+= 12
        let quantityWord = KiteByteScanner.load8(base + p)
        let digits = KiteByteScanner.digitFlags(quantityWord).trailingZeroBitCount &>> 3
        guard UInt(bitPattern: digits &- 1) < 7 else { return nil }
        let quantity = Int64(truncatingIfNeeded: KiteByteScanner.digitValue(quantityWord, digits))
        p &+= digits
        guard KiteByteScanner.load8(base + p) == ordersHead, KiteByteScanner.load2(base + (p &+ 8)) == ordersTail else {
            return nil
        }
        p &+= 10
        let orders = run(base + p)
        guard orders > 0, let end = laterLevels(base, p &+ orders, count: count) else { return nil }
        position = end
        return (price, quantity)
    }

    /// Bytes the four straight-line later levels can span, read-ahead included: each moves at most 60 bytes
    /// (33 literal bytes, three runs of at most 8 digits, `.` and 2 decimals) and reads at most 8 past that.
    static let straightSpan = 256

    /// Checks and passes one level after the best from the `}` closing the one before (whose `},{"pric`
    /// the caller has compared), returning the position of the `}` closing it, or nil. The level is
    /// `},{"price":D[.D[D]],"quantity":D,"orders":D` with 1…8 digits per `D` run: a longer run leaves a
    /// digit where the next literal or level starts, so that check declines.
    @inline(__always)
    static func level(_ base: UnsafePointer<UInt8>, _ at: Int) -> Int? {
        guard KiteByteScanner.load4(base + (at &+ 7)) == levelHeadTail else { return nil }
        var p = at &+ 11
        let whole = run(base + p)
        guard whole > 0 else { return nil }
        p &+= whole
        guard passFraction(base, &p), KiteByteScanner.load8(base + p) == quantityHead,
            KiteByteScanner.load4(base + (p &+ 8)) == quantityTail
        else { return nil }
        p &+= 12
        let quantity = run(base + p)
        guard quantity > 0 else { return nil }
        p &+= quantity
        guard KiteByteScanner.load8(base + p) == ordersHead, KiteByteScanner.load2(base + (p &+ 8)) == ordersTail else {
            return nil
        }
        p &+= 10
        let orders = run(base + p)
        guard orders > 0 else { return nil }
        return p &+ orders
    }

    /// Checks and passes the levels after the best, from the `}` closing it through `}]`; returns the
    /// position after `]`, or nil (see `level`; at most 64 levels in all, the bound checked at the end,
    /// as the body's length already bounds the loop).
    ///
    /// The mock writes five levels a side: when `straightSpan` bytes remain, the four after the best are
    /// checked in straight-line code under that one bounds check, so no loop branch is left to mispredict
    /// at the side's end; any more (or all, nearer the end) are checked in the loop after them, each
    /// under its own bounds check.
    @inline(__always)
    static func laterLevels(_ base: UnsafePointer<UInt8>, _ start: Int, count: Int) -> Int? {
        var at = start
        var read = 1
        straight: do {
            guard count &- start >= straightSpan, KiteByteScanner.load8(base + at) == levelHead else { break straight }
            guard let second = level(base, at) else { return nil }
            at = second
            read = 2
            guard KiteByteScanner.load8(base + at) == levelHead else { break straight }
            guard let third = level(base, at) else { return nil }
            at = third
            read = 3
            guard KiteByteScanner.load8(base + at) == levelHead else { break straight }
            guard let fourth = level(base, at) else { return nil }
            at = fourth
            read = 4
            guard KiteByteScanner.load8(base + at) == levelHead else { break straight }
            guard let fifth = level(base, at) else { return nil }
            at = fifth
            read = 5
        }
        let limit = count &- levelSpan
        while KiteByteScanner.load8(base + at) == levelHead {
            guard at <= limit, let next = level(base, at) else { return nil }
            at = next
            read &+= 1
        }
        guard KiteByteScanner.load2(base + at) == 0x5D7D, read <= CanonicalQuoteReader.levelsMax else { return nil }
        return at &+ 2
    }
}
