/// A calendar date in the exchange's zone (IST), stored as whole days since 1970-01-01.
///
/// MarketSim keeps its own date type so it imports nothing of ours; `Platform.CivilDate` converts
/// through `daysSinceEpoch`. Conversions use Howard Hinnant's civil-from-days algorithm.
public struct TradingDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// The date with the given proleptic Gregorian year, month (1–12) and day (1–31).
    public init(year: Int, month: Int, day: Int) {
        precondition((1...12).contains(month) && (1...31).contains(day), "bad date \(year)-\(month)-\(day)")
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
    }

    /// Parses `YYYY-MM-DD`; nil for anything else, including impossible dates such as 2025-02-30.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (48...57).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1, day <= TradingDate.daysIn(year: year, month: month)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    public func adding(days: Int) -> TradingDate { TradingDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The Monday of this date's ISO week.
    public var mondayOfWeek: TradingDate { adding(days: 1 - isoWeekday) }

    /// The last date in this date's month that falls on `isoWeekday`.
    public func lastWeekdayOfMonth(_ isoWeekday: Int) -> TradingDate {
        let (y, m, _) = components
        let last = TradingDate(year: y, month: m, day: TradingDate.daysIn(year: y, month: m))
        let back = (last.isoWeekday - isoWeekday + 7) % 7
        return last.adding(days: -back)
    }

    /// The first day of the month `months` after this date's month.
    public func firstOfMonth(addingMonths months: Int) -> TradingDate {
        let (y, m, _) = components
        let index = y * 12 + (m - 1) + months
        return TradingDate(year: index / 12, month: index % 12 + 1, day: 1)
    }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        return TradingDate.pad(y, 4) + "-" + TradingDate.pad(m, 2) + "-" + TradingDate.pad(d, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func < (lhs: TradingDate, rhs: TradingDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
