/// A point in virtual time as whole nanoseconds since the Unix epoch (UTC), as the broker sees it.
///
/// The same representation as Platform's `Instant`, so the harness converts with no arithmetic.
/// MarketSim cannot import Platform, hence this small twin.
public struct KiteInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }

    /// The instant `seconds` whole seconds after the epoch.
    public init(secondsSinceEpoch seconds: Int64) { nanosecondsSinceEpoch = seconds * 1_000_000_000 }

    /// The instant at `hour:minute:second` IST on `date`.
    public init(ist date: KiteDate, hour: Int, minute: Int, second: Int = 0) {
        let seconds =
            date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - KiteTime.istOffsetSeconds
        self.init(secondsSinceEpoch: seconds)
    }

    /// Whole seconds since the epoch, rounded toward negative infinity.
    @inline(__always)
    public var secondsSinceEpoch: Int64 { KiteTime.floorDiv(nanosecondsSinceEpoch, 1_000_000_000) }

    /// The IST calendar date this instant falls on.
    public var istDate: KiteDate {
        KiteDate(daysSinceEpoch: KiteTime.floorDiv(secondsSinceEpoch + KiteTime.istOffsetSeconds, 86_400))
    }

    /// Seconds since IST midnight.
    public var istSecondOfDay: Int {
        Int(KiteTime.floorMod(secondsSinceEpoch + KiteTime.istOffsetSeconds, 86_400))
    }

    /// This instant moved by `nanoseconds` (negative moves back).
    public func adding(nanoseconds: Int64) -> KiteInstant {
        KiteInstant(nanosecondsSinceEpoch: nanosecondsSinceEpoch + nanoseconds)
    }

    public static func < (lhs: KiteInstant, rhs: KiteInstant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// Kite's 19-character IST form, `YYYY-MM-DD HH:MM:SS`.
    public var description: String { KiteTime.timestamp19(self) }
}

/// A proleptic Gregorian calendar date (the IST trading day), with day arithmetic.
public struct KiteDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// The date, or nil when month/day are out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= KiteDate.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    public init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = KiteTime.floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = KiteTime.floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> KiteDate { KiteDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { Int(KiteTime.floorMod(daysSinceEpoch + 3, 7)) + 1 }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: KiteDate, rhs: KiteDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var out: [UInt8] = []
        KiteTime.appendDate(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Kite's textual time formats, written and read in integer arithmetic (IST, UTC+05:30).
public enum KiteTime {
    /// IST's offset from UTC in seconds.
    public static let istOffsetSeconds: Int64 = 19_800

    @inlinable static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inlinable static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `YYYY-MM-DD`.
    public static func appendDate(_ date: KiteDate, to out: inout [UInt8]) {
        appendDigits(date.year, width: 4, to: &out)
        out.append(0x2D)
        appendDigits(date.month, width: 2, to: &out)
        out.append(0x2D)
        appendDigits(date.day, width: 2, to: &out)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS` in IST (19 bytes; Kite's quote and login timestamps).
    public static func appendTimestamp19(_ instant: KiteInstant, separator: UInt8 = 0x20, to out: inout [UInt8]) {
        appendDate(instant.istDate, to: &out)
        out.append(separator)
        let second = instant.istSecondOfDay
        appendDigits(second / 3600, width: 2, to: &out)
        out.append(0x3A)
        appendDigits(second / 60 % 60, width: 2, to: &out)
        out.append(0x3A)
        appendDigits(second % 60, width: 2, to: &out)
    }

    /// `YYYY-MM-DD HH:MM:SS` in IST.
    public static func timestamp19(_ instant: KiteInstant) -> String {
        var out: [UInt8] = []
        appendTimestamp19(instant, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a historical candle's time, `YYYY-MM-DDTHH:MM:SS+0530`.
    public static func appendCandleTimestamp(_ instant: KiteInstant, to out: inout [UInt8]) {
        appendTimestamp19(instant, separator: 0x54, to: &out)
        out.append(contentsOf: "+0530".utf8)
    }

    /// Parses `YYYY-MM-DD` (midnight IST) or `YYYY-MM-DD HH:MM:SS` (also with `T`), read as IST; years 1900–2200.
    public static func parseIST(_ text: String) -> KiteInstant? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || bytes.count == 19 else { return nil }
        func number(_ start: Int, _ width: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<start + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        // Years outside 1900–2200 are refused: nanoseconds since the epoch overflow Int64 past 2262.
        guard bytes[4] == 0x2D, bytes[7] == 0x2D, let y = number(0, 4), (1900...2200).contains(y), let m = number(5, 2),
            let d = number(8, 2), let date = KiteDate(year: y, month: m, day: d)
        else { return nil }
        guard bytes.count == 19 else { return KiteInstant(ist: date, hour: 0, minute: 0) }
        guard bytes[10] == 0x20 || bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            let hh = number(11, 2), let mm = number(14, 2), let ss = number(17, 2), hh < 24, mm < 60,
            ss < 60
        else { return nil }
        return KiteInstant(ist: date, hour: hh, minute: mm, second: ss)
    }
}
