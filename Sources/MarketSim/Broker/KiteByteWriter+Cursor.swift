/// The writer's number and fragment printers as pure functions of a cursor: bytes in at `p`, the
/// cursor after them out.
///
/// The encoder's hot loop keeps its cursor in a register this way. Writing through the
/// `inout KiteByteWriter` instead makes the optimiser reload and store `position` around every
/// byte store (a byte store may alias the writer's own memory). Each function states how many
/// bytes it may store past the cursor it returns (at most `KiteByteWriter.scratchBytes`).
extension KiteByteWriter {
    /// A static ASCII fragment.
    @inlinable @inline(__always)
    static func put(_ text: StaticString, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(p).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        return p + text.utf8CodeUnitCount
    }

    /// A non-negative integer (≤ 20 bytes; stores up to 8 past the cursor it returns).
    @inlinable @inline(__always)
    static func putUnsigned(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // Quote fields are almost all under 10^8: eight digits at once, without a branch on the length.
        guard value < 100_000_000 else { return putLong(value, at: p) }
        let digits = digitBytes(value)
        // Leading zero digits are the low zero bytes; the last digit always stays.
        let skip = (digits | 1 << 56).trailingZeroBitCount &>> 3
        let text = (digits | 0x3030_3030_3030_3030) &>> UInt64(skip &<< 3)
        UnsafeMutableRawPointer(p).storeBytes(of: text.littleEndian, as: UInt64.self)
        return p + (8 &- skip)
    }

    /// A signed integer (≤ 20 bytes; stores up to 8 past the cursor it returns).
    @inlinable @inline(__always)
    static func putInt(_ value: Int64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard value < 0 else { return putUnsigned(UInt64(value), at: p) }
        p.pointee = 0x2D
        return putUnsigned(value.magnitude, at: p + 1)
    }

    /// A signed integer, fastest for 0–99 such as a depth level's order count (stores up to 8 past).
    @inlinable @inline(__always)
    static func putSmallInt(_ value: Int64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard UInt64(bitPattern: value) < 100 else { return putInt(value, at: p) }
        let pairs = UnsafeRawPointer(KiteByteWriter.digitPairs.utf8Start)
        let pair = pairs.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: value) &* 2, as: UInt16.self).littleEndian
        let single = value < 10 ? 1 : 0
        UnsafeMutableRawPointer(p).storeBytes(of: (pair &>> UInt16(single &<< 3)).littleEndian, as: UInt16.self)
        return p + (2 &- single)
    }

    /// Paise as rupees, trailing fraction zeros dropped (≤ 24 bytes; stores up to 8 past).
    @inlinable @inline(__always)
    static func putPaise(_ paise: Int64, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let magnitude = paise.magnitude
        var p = start
        if paise < 0 {
            p.pointee = 0x2D
            p += 1
        }
        // The fraction's two digits (tens in the low byte), from the digits already split when possible.
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
        // `.dd`, `.d` (trailing zero dropped) or nothing, from one 4-byte store.
        let dotted = UInt32(truncatingIfNeeded: 0x2E | (fraction | 0x3030) &<< 8)
        UnsafeMutableRawPointer(p).storeBytes(of: dotted.littleEndian, as: UInt32.self)
        return p + (fraction == 0 ? 0 : fraction &>> 8 == 0 ? 2 : 3)
    }

    /// The eight decimal digits of `value` < 10^8, most significant in the low byte, each byte 0–9.
    ///
    /// SWAR: split into two 4-digit halves in 32-bit lanes, each into two 2-digit parts in 16-bit
    /// lanes, each into two digits in bytes; the divisions by 100 and 10 are multiply-shifts
    /// (exact for lanes below 10^4 and 100), and no lane carries into the next.
    @inlinable @inline(__always)
    static func digitBytes(_ value: UInt64) -> UInt64 {
        let high = value / 10_000
        let quads = high | (value &- high &* 10_000) &<< 32
        let hundreds = (quads &* 10_486) &>> 20 & 0x0000_007F_0000_007F
        let pairs = hundreds | (quads &- hundreds &* 100) &<< 16
        let tens = (pairs &* 103) &>> 10 & 0x000F_000F_000F_000F
        return tens | (pairs &- tens &* 10) &<< 8
    }

    /// A non-negative integer of any length (1–20 bytes, stores none past them), digit pairs from the end.
    @usableFromInline @inline(never)
    static func putLong(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let digits = digitCount(value)
        let pairs = UnsafeRawPointer(KiteByteWriter.digitPairs.utf8Start)
        let start = UnsafeMutableRawPointer(p)
        var rest = value
        var end = digits
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            end &-= 2
            start.storeBytes(of: pairs.loadUnaligned(fromByteOffset: pair, as: UInt16.self), toByteOffset: end, as: UInt16.self)
        }
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            start.storeBytes(of: pairs.loadUnaligned(fromByteOffset: pair, as: UInt16.self), toByteOffset: 0, as: UInt16.self)
        } else {
            start.storeBytes(of: UInt8(truncatingIfNeeded: rest) &+ 48, as: UInt8.self)
        }
        return p + digits
    }
}
