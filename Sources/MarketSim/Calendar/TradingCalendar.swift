/// The exchange calendar: which dates trade, and the continuous session's open and close.
///
/// Weekends and the listed holidays are closed; every other date trades 09:15–15:30 IST (from the
/// fixture). Special sessions (Muhurat, Saturday sessions) are not modelled.
public struct TradingCalendar: Sendable, Equatable {
    /// Holidays as days since the epoch, sorted ascending.
    public let holidays: [Int]
    /// Session open, seconds after IST midnight (09:15 → 33,300).
    public let openSecond: Int
    /// Session close, seconds after IST midnight (15:30 → 55,800).
    public let closeSecond: Int

    public init(holidays: [TradingDate], openSecond: Int, closeSecond: Int) {
        precondition(openSecond < closeSecond, "session open \(openSecond) not before close \(closeSecond)")
        self.holidays = holidays.map(\.daysSinceEpoch).sorted()
        self.openSecond = openSecond
        self.closeSecond = closeSecond
    }

    /// Seconds in one session (22,500 for 09:15–15:30).
    public var sessionSeconds: Int { closeSecond - openSecond }

    /// Whether `date` is a listed holiday (weekends are not listed).
    public func isHoliday(_ date: TradingDate) -> Bool {
        var low = 0
        var high = holidays.count
        while low < high {
            let mid = (low + high) / 2
            if holidays[mid] < date.daysSinceEpoch { low = mid + 1 } else { high = mid }
        }
        return low < holidays.count && holidays[low] == date.daysSinceEpoch
    }

    /// Whether the exchange trades on `date`.
    public func isTradingDay(_ date: TradingDate) -> Bool {
        date.isoWeekday <= 5 && !isHoliday(date)
    }

    /// The latest trading day on or before `date`.
    public func tradingDay(onOrBefore date: TradingDate) -> TradingDate {
        var day = date
        for _ in 0..<30 {
            if isTradingDay(day) { return day }
            day = day.adding(days: -1)
        }
        preconditionFailure("no trading day in the 30 days up to \(date)")
    }

    /// The earliest trading day strictly after `date`.
    public func tradingDay(after date: TradingDate) -> TradingDate {
        var day = date.adding(days: 1)
        for _ in 0..<30 {
            if isTradingDay(day) { return day }
            day = day.adding(days: 1)
        }
        preconditionFailure("no trading day in the 30 days after \(date)")
    }

    /// The latest trading day strictly before `date`.
    public func tradingDay(before date: TradingDate) -> TradingDate {
        tradingDay(onOrBefore: date.adding(days: -1))
    }

    /// Where an instant falls relative to the sessions: in one, or after the close of the last one.
    public func session(at time: MarketTime) -> SessionPosition {
        let date = time.istDate
        let second = time.istSecondOfDay
        if isTradingDay(date), second >= openSecond, second <= closeSecond {
            return .open(date: date, secondOfSession: second - openSecond)
        }
        let last = isTradingDay(date) && second > closeSecond ? date : tradingDay(before: date)
        return .closed(lastSession: last)
    }

    /// The instant of `secondOfSession` seconds after the open on `date`.
    public func time(_ date: TradingDate, secondOfSession: Int) -> MarketTime {
        MarketTime(date: date, secondOfDay: openSecond + secondOfSession)
    }
}

/// An instant's place in the trading calendar.
public enum SessionPosition: Sendable, Equatable {
    /// Inside the continuous session of `date`, `secondOfSession` seconds after the open (close inclusive).
    case open(date: TradingDate, secondOfSession: Int)
    /// Outside any session; `lastSession` is the latest session that closed before the instant.
    case closed(lastSession: TradingDate)
}
