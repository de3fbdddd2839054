/// Time to expiry in years on an ACT/365 basis, with NSE/BSE index options expiring at 15:30 IST.
///
/// Every calendar second counts (weekends and holidays included), and a year is 365 days of
/// 86,400 seconds regardless of leap years: T = (expiry - now) / 31,536,000 s. Theta per
/// calendar day is then `theta / 365` (`OptionGreeks.thetaPerCalendarDay`).
public enum TimeToExpiry {
    /// Seconds in the ACT/365 year.
    public static let secondsPerYear = 365.0 * 86_400

    /// The expiry time of day in IST: 15:30:00.
    public static let expiryHour = 15
    public static let expiryMinute = 30

    /// The instant contracts expiring on `date` expire: 15:30 IST that day.
    public static func expiryInstant(of date: CivilDate) -> Instant {
        ISO8601.instant(date, hour: expiryHour, minute: expiryMinute)
    }

    /// Years from `now` to `expiry` (ACT/365, nanosecond resolution); negative once it has passed.
    public static func years(from now: Instant, to expiry: Instant) -> Double {
        Double(expiry.nanosecondsSinceEpoch - now.nanosecondsSinceEpoch) / (secondsPerYear * 1e9)
    }

    /// Years from `now` to 15:30 IST on the expiry date.
    public static func years(from now: Instant, toExpiryOn date: CivilDate) -> Double {
        years(from: now, to: expiryInstant(of: date))
    }
}
