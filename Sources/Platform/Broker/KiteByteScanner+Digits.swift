/// Leading ASCII digits of 8 bytes read little-endian (first byte lowest), counted and valued a word at a time.
extension KiteByteScanner {
    /// How many leading bytes of 8 (read little-endian) are ASCII digits; the flags of `digitRun`.
    @inline(__always)
    static func digitCount(_ word: UInt64) -> Int {
        let flags = digitFlags(word)
        return flags == 0 ? 8 : flags.trailingZeroBitCount >> 3
    }

    /// Bit 7 of each byte that is not an ASCII digit, exact up to the first such byte (above it, carries
    /// may flag digits too): `trailingZeroBitCount >> 3` is the number of leading digits (8 when none).
    @inline(__always)
    static func digitFlags(_ word: UInt64) -> UInt64 {
        ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
    }

    /// The leading ASCII digits of 8 bytes read little-endian (first byte lowest): how many and their value.
    ///
    /// A byte is flagged as a non-digit when adding 0x46 or subtracting 0x30 sets its top bit; carries and
    /// borrows only move upward, so the lowest flagged byte is the first non-digit.
    @inline(__always)
    static func digitRun(_ word: UInt64) -> (digits: Int, value: UInt64) {
        let digits = digitCount(word)
        if digits == 0 { return (0, 0) }
        return (digits, digitValue(word, digits))
    }

    /// The value of the first `digits` (1…8) bytes of `word`, read little-endian, all ASCII digits (the
    /// caller has checked both), without a branch: the digits are shifted to the top (leading zeros
    /// below) and combined pairwise, as in fast_float.
    @inline(__always)
    static func digitValue(_ word: UInt64, _ digits: Int) -> UInt64 {
        var value = (word &- 0x3030_3030_3030_3030) &<< UInt64(truncatingIfNeeded: 64 &- 8 &* digits)
        value = (value &* 10) &+ (value &>> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let low = (value & mask) &* 0x000F_4240_0000_0064  // 100 + (1_000_000 << 32)
        let high = ((value &>> 16) & mask) &* 0x0000_2710_0000_0001  // 1 + (10_000 << 32)
        return (low &+ high) &>> 32
    }
}
