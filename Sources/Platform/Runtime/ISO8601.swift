/// Formatting and parsing of ISO 8601 instants, done in integer arithmetic so output is exact.
///
/// Output is always in Indian Standard Time (UTC+05:30, no daylight saving), the zone of NSE
/// and BSE. Input accepts `Z` or any `±HH:MM` offset, with optional fractional seconds up to
/// nanoseconds: `2026-11-24T09:15:00+05:30`, `2026-11-24T03:45:00.250Z`.
public enum ISO8601 {
    /// IST's offset from UTC in seconds.
    public static let istOffsetSeconds: Int64 = 19_800

    /// Formats `instant` in IST; fractional seconds appear only when non-zero, trimmed of zeros.
    public static func format(_ instant: Instant) -> String {
        let local = instant.nanosecondsSinceEpoch + istOffsetSeconds * 1_000_000_000
        let nanos = local.floorModulo(1_000_000_000)
        let seconds = local.floorDivided(by: 1_000_000_000)
        let date = CivilDate(daysSinceEpoch: seconds.floorDivided(by: 86_400))
        let secondOfDay = Int(seconds.floorModulo(86_400))
        var text = "\(date)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2))"
        text += ":\(pad(secondOfDay % 60, 2))"
        if nanos != 0 {
            var fraction = pad(Int(nanos), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "+05:30"
    }

    /// The instant at `hour:minute:second` IST on `date`.
    public static func instant(_ date: CivilDate, hour: Int, minute: Int, second: Int = 0) -> Instant
    {
        let seconds =
            date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - istOffsetSeconds
        return Instant(secondsSinceEpoch: seconds)
    }

    /// The IST calendar date that `instant` falls on.
    public static func istDate(of instant: Instant) -> CivilDate {
        let local = instant.secondsSinceEpoch + istOffsetSeconds
        return CivilDate(daysSinceEpoch: local.floorDivided(by: 86_400))
    }

    /// Seconds since IST midnight of the day `instant` falls on.
    public static func istSecondOfDay(of instant: Instant) -> Int {
        Int((instant.secondsSinceEpoch + istOffsetSeconds).floorModulo(86_400))
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fffffffff]](Z|±HH:MM)`, or returns nil (also for instants
    /// outside the representable span, 1677–2262).
    public static func parse(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")
        else { return nil }
        guard let date = CivilDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)) else {
            return nil
        }
        var index = 11
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ ascii: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: ascii) else { return false }
            index += 1
            return true
        }
        guard let hour = number(2), hour < 24, expect(":"), let minute = number(2), minute < 60
        else { return nil }
        var second = 0
        var nanos: Int64 = 0
        if expect(":") {
            guard let s = number(2), s < 60 else { return nil }
            second = s
            if expect(".") {
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    guard digits < 9 else { return nil }
                    nanos = nanos * 10 + Int64(bytes[index] - 48)
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<9 { nanos *= 10 }
            }
        }
        var offsetSeconds: Int64 = 0
        if expect("Z") {
            offsetSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let oh = number(2), oh < 24, expect(":"), let om = number(2), om < 60 else {
                return nil
            }
            offsetSeconds = sign * Int64(oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        // Instants span 1677-09-21 to 2262-04-11; outside that the nanosecond count overflows.
        let seconds = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - nanos else { return nil }
        return Instant(nanosecondsSinceEpoch: scaled + nanos)
    }

    /// Zero-pads a non-negative integer to `width` digits (a leading minus is kept).
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
