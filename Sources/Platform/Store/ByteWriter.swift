/// Writes bytes through a raw pointer into memory the caller reserved; the caller bounds the size.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, count: Int = 0) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[count] = value
        count += 1
    }

    @inline(__always)
    mutating func comma() { byte(0x2C) }

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            (base + count).update(from: source.baseAddress!, count: source.count)
        }
        count += bytes.count
    }

    @inline(__always)
    mutating func write(_ source: UnsafePointer<UInt8>, count length: Int) {
        (base + count).update(from: source, count: length)
        count += length
    }

    /// Moves past `length` bytes the caller wrote through `base` itself.
    @inline(__always)
    mutating func skip(_ length: Int) { count += length }

    /// Two decimal digits, `00` through `99`.
    @inline(__always)
    mutating func pair(_ value: Int) {
        let pairs = ByteWriter.digitPairs.utf8Start
        base[count] = pairs[value &* 2]
        base[count + 1] = pairs[value &* 2 + 1]
        count += 2
    }

    /// `YYYY-MM-DD` of `date`, whose year must be in 0…9999 (callers print other years another way).
    mutating func date(_ date: CivilDate) {
        pair(date.year / 100)
        pair(date.year % 100)
        byte(UInt8(ascii: "-"))
        pair(date.month)
        byte(UInt8(ascii: "-"))
        pair(date.day)
    }

    /// `HH:MM:SS` of `secondOfDay` (0..<86,400), then `.` and the fraction of `nanos` (0..<10⁹) with
    /// its trailing zeros trimmed when it is not zero: the clock part of `ISO8601.format`.
    mutating func clock(secondOfDay second: Int, nanos: Int64) {
        pair(second / 3600)
        byte(UInt8(ascii: ":"))
        pair(second / 60 % 60)
        byte(UInt8(ascii: ":"))
        pair(second % 60)
        guard nanos != 0 else { return }
        byte(UInt8(ascii: "."))
        var fraction = nanos
        var digits = 9
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        for place in stride(from: digits - 1, through: 0, by: -1) {
            base[count + place] = UInt8(truncatingIfNeeded: fraction % 10) + 0x30
            fraction /= 10
        }
        skip(digits)
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { source in
            if let address = source.baseAddress { (base + count).update(from: address, count: source.count) }
            count += source.count
        }
    }

    /// "00" through "99": two digits per table read halves the divisions.
    @inline(__always)
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// A decimal integer (at most 20 bytes).
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        count = ByteWriter.putLong(value.magnitude, at: base + count) - base
    }

    /// The number of decimal digits of `value` (1 for zero).
    @inline(__always)
    static func decimalDigits(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10_000 {
            rest /= 10_000
            digits += 4
        }
        if rest >= 100 {
            rest /= 100
            digits += 2
        }
        return rest >= 10 ? digits + 1 : digits
    }

    /// Paise as rupees with two decimals (at most 23 bytes).
    @inline(__always)
    mutating func rupees(_ paise: Int64) {
        if paise < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = paise.magnitude
        integer(Int64(magnitude / 100))
        byte(UInt8(ascii: "."))
        pair(Int(magnitude % 100))
    }
}

/// The row printers as pure functions of a cursor: bytes in at `p`, the cursor after them out.
///
/// The row loop keeps its cursor in a register this way (writing through an `inout ByteWriter`
/// makes the optimiser reload and store the count around each byte store, which may alias it).
/// Each function states how many bytes it may store past the cursor it returns; the caller's
/// bound leaves room for them (`ByteWriter.overshoot`).
extension ByteWriter {
    /// Bytes any cursor function but `copyWide` may store past the cursor it returns.
    static let overshoot = 16
    /// Bytes `copyWide` may read past its source's end and store past the cursor it returns.
    static let wideOvershoot = 32

    /// Copies `count` bytes from `source`, 16 at a time: reads up to 16 bytes past the source's
    /// end (the caller pads its sources) and stores up to 16 past the cursor it returns (16 only
    /// when `count` is 0: the first 16 bytes go unconditionally, which spares every copy a test).
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, count: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(p)
        var done = 0
        repeat {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: done, as: SIMD16<UInt8>.self), toByteOffset: done,
                          as: SIMD16<UInt8>.self)
            done &+= 16
        } while done < count
        return p + count
    }

    /// `copy` 32 bytes at a time, for longer runs: reads up to `wideOvershoot` (32) bytes past the
    /// source's end and stores up to 32 past the cursor it returns, so a caller uses it only where its bound and the
    /// bytes written after leave that room (the store's row writer copies its lead and contract columns so).
    @inline(__always)
    static func copyWide(_ source: UnsafePointer<UInt8>, count: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(p)
        var done = 0
        repeat {
            let low = from.loadUnaligned(fromByteOffset: done, as: SIMD16<UInt8>.self)
            let high = from.loadUnaligned(fromByteOffset: done &+ 16, as: SIMD16<UInt8>.self)
            to.storeBytes(of: low, toByteOffset: done, as: SIMD16<UInt8>.self)
            to.storeBytes(of: high, toByteOffset: done &+ 16, as: SIMD16<UInt8>.self)
            done &+= 32
        } while done < count
        return p + count
    }

    /// The eight decimal digits of `value` < 10^8, most significant in the low byte, each byte 0–9.
    ///
    /// SWAR: split into two 4-digit halves in 32-bit lanes, each into two 2-digit parts in 16-bit
    /// lanes, each into two digits in bytes; the divisions by 100 and 10 are multiply-shifts
    /// (exact for lanes below 10^4 and 100), and no lane carries into the next.
    @inline(__always)
    static func digitBytes(_ value: UInt64) -> UInt64 {
        let high = value / 10_000
        let quads = high | (value &- high &* 10_000) &<< 32
        let hundreds = (quads &* 10_486) &>> 20 & 0x0000_007F_0000_007F
        let pairs = hundreds | (quads &- hundreds &* 100) &<< 16
        let tens = (pairs &* 103) &>> 10 & 0x000F_000F_000F_000F
        return tens | (pairs &- tens &* 10) &<< 8
    }

    /// A decimal integer as `integer(_:)` writes it (stores up to 8 past the cursor it returns).
    @inline(__always)
    static func putInteger(_ value: Int64, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = start
        if value < 0 {
            p.pointee = 0x2D
            p += 1
        }
        let magnitude = value.magnitude
        guard magnitude < 100_000_000 else { return putLong(magnitude, at: p) }
        let digits = digitBytes(magnitude)
        // Leading zero digits are the low zero bytes; the last digit always stays.
        let skip = (digits | 1 << 56).trailingZeroBitCount &>> 3
        let text = (digits | 0x3030_3030_3030_3030) &>> UInt64(skip &<< 3)
        UnsafeMutableRawPointer(p).storeBytes(of: text.littleEndian, as: UInt64.self)
        return p + (8 &- skip)
    }

    /// Paise as rupees with two decimals, as `rupees(_:)` writes them (stores up to 8 past).
    @inline(__always)
    static func putRupees(_ paise: Int64, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = start
        if paise < 0 {
            p.pointee = 0x2D
            p += 1
        }
        let magnitude = paise.magnitude
        let fraction: UInt64
        if magnitude < 100_000_000 {
            // Rupees are the first six of the eight digits, at least one of them kept.
            let digits = digitBytes(magnitude)
            let skip = (digits | 1 << 40).trailingZeroBitCount &>> 3
            let text = (digits | 0x3030_3030_3030_3030) &>> UInt64(skip &<< 3)
            UnsafeMutableRawPointer(p).storeBytes(of: text.littleEndian, as: UInt64.self)
            p += 6 &- skip
            fraction = digits &>> 48
        } else {
            p = putLong(magnitude / 100, at: p)
            fraction = digitBytes(magnitude % 100) &>> 48
        }
        // `.dd` from one 4-byte store: the point, then the tens and units digits.
        let dotted = UInt32(truncatingIfNeeded: 0x2E | (fraction | 0x3030) &<< 8)
        UnsafeMutableRawPointer(p).storeBytes(of: dotted.littleEndian, as: UInt32.self)
        return p + 3
    }

    /// A non-negative integer of any length (1–20 bytes, stores none past them), digit pairs from the end.
    @inline(never)
    static func putLong(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var magnitude = value
        let digits = ByteWriter.decimalDigits(magnitude)
        let pairs = ByteWriter.digitPairs.utf8Start
        var end = digits
        while magnitude >= 100 {
            let pair = Int(magnitude % 100) &* 2
            magnitude /= 100
            end -= 2
            p[end] = pairs[pair]
            p[end + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            p[end - 2] = pairs[pair]
            p[end - 1] = pairs[pair + 1]
        } else {
            p[end - 1] = UInt8(truncatingIfNeeded: magnitude) &+ 0x30
        }
        return p + digits
    }
}

/// Table printers for the small numbers most row columns hold: a quantity below 10^4, a price
/// below ₹10,000, each one table read and one store instead of a digit conversion.
extension ByteWriter {
    /// Entries `0..<10_000`: the decimal text of the entry's index in the low bytes (ASCII, most
    /// significant first), its length in the top byte. Entries `10_000..<10_100`: `.dd` for
    /// `index - 10_000` in the low three bytes.
    static let smallTexts: [UInt64] = {
        var table = [UInt64](repeating: 0, count: smallTextsCount + 100)
        for value in 0..<smallTextsCount {
            // From the last digit up: each more significant digit goes in below the ones written.
            var text: UInt64 = 0
            var length: UInt64 = 0
            var rest = value
            repeat {
                text = text << 8 | UInt64(0x30 + rest % 10)
                rest /= 10
                length += 1
            } while rest > 0
            table[value] = text | length << 56
        }
        for cents in 0..<100 {
            table[smallTextsCount + cents] = 0x2E | UInt64(0x30 + cents / 10) << 8 | UInt64(0x30 + cents % 10) << 16
        }
        return table
    }()

    /// Values below this print from `smallTexts`.
    static let smallTextsCount = 10_000

    /// A decimal integer as `putInteger` writes it, from `table` (`smallTexts`) when it is in
    /// `0..<10_000` (stores up to 8 past the cursor it returns).
    @inline(__always)
    static func putQuantity(_ value: Int64, table: UnsafePointer<UInt64>, at p: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        guard UInt64(bitPattern: value) < UInt64(smallTextsCount) else { return putInteger(value, at: p) }
        let entry = table[Int(truncatingIfNeeded: value)]
        UnsafeMutableRawPointer(p).storeBytes(of: entry.littleEndian, as: UInt64.self)
        return p + Int(truncatingIfNeeded: entry &>> 56)
    }

    /// Paise as rupees as `putRupees` writes them, from `table` (`smallTexts`) when they are in
    /// `0..<1_000_000` (stores up to 8 past the cursor it returns).
    @inline(__always)
    static func putPrice(_ paise: Int64, table: UnsafePointer<UInt64>, at p: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        guard UInt64(bitPattern: paise) < UInt64(smallTextsCount * 100) else { return putRupees(paise, at: p) }
        let magnitude = UInt(truncatingIfNeeded: paise)
        let rupees = magnitude / 100
        let entry = table[Int(bitPattern: rupees)]
        UnsafeMutableRawPointer(p).storeBytes(of: entry.littleEndian, as: UInt64.self)
        let end = p + Int(truncatingIfNeeded: entry &>> 56)
        let cents = UInt32(truncatingIfNeeded: table[smallTextsCount &+ Int(bitPattern: magnitude &- rupees &* 100)])
        UnsafeMutableRawPointer(end).storeBytes(of: cents.littleEndian, as: UInt32.self)
        return end + 3
    }
}
