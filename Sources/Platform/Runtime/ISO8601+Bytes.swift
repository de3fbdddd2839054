extension ISO8601 {
    /// Appends the UTF-8 bytes of `ISO8601.format(instant)` to `out` without building a string:
    /// IST, fractional seconds only when non-zero and trimmed of trailing zeros, then `+05:30`.
    public static func append(_ instant: Instant, to out: inout [UInt8]) {
        let local = instant.nanosecondsSinceEpoch + istOffsetSeconds * 1_000_000_000
        let nanos = local.floorModulo(1_000_000_000)
        let seconds = local.floorDivided(by: 1_000_000_000)
        let date = CivilDate(daysSinceEpoch: seconds.floorDivided(by: 86_400))
        if (0...9999).contains(date.year) {
            appendDigits(date.year / 100, to: &out)
            appendDigits(date.year % 100, to: &out)
        } else {
            out.append(contentsOf: pad(date.year, 4).utf8)
        }
        out.append(UInt8(ascii: "-"))
        appendDigits(date.month, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(date.day, to: &out)
        out.append(UInt8(ascii: "T"))
        let second = Int(seconds.floorModulo(86_400))
        appendDigits(second / 3600, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(second / 60 % 60, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(second % 60, to: &out)
        if nanos != 0 {
            out.append(UInt8(ascii: "."))
            var fraction = nanos
            var digits = 9
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(truncatingIfNeeded: fraction / divisor % 10) + 0x30)
                divisor /= 10
            }
        }
        out.append(contentsOf: zoneSuffix)
    }

    /// `+05:30`, the suffix of every formatted instant.
    static let zoneSuffix: [UInt8] = Array("+05:30".utf8)

    /// Two decimal digits of `value` (0...99).
    @inline(__always)
    static func appendDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value / 10) &+ 0x30)
        out.append(UInt8(truncatingIfNeeded: value % 10) &+ 0x30)
    }
}
