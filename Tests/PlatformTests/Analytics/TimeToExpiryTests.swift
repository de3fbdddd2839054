import Testing

@testable import Platform

@Suite struct TimeToExpiryTests {
    @Test("expiry is 15:30 IST and a year is 365 days of 86,400 seconds")
    func actual365() {
        let date = CivilDate(year: 2026, month: 11, day: 26)!
        let expiry = TimeToExpiry.expiryInstant(of: date)
        #expect(ISO8601.format(expiry).hasPrefix("2026-11-26T15:30:00"))
        let morning = ISO8601.instant(date, hour: 9, minute: 15)
        #expect(
            TimeToExpiry.years(from: morning, to: expiry) == 22_500 / TimeToExpiry.secondsPerYear)
        let weekEarlier = ISO8601.instant(date.adding(days: -7), hour: 15, minute: 30)
        #expect(TimeToExpiry.years(from: weekEarlier, toExpiryOn: date) == 7 / 365.0)
        #expect(TimeToExpiry.years(from: expiry + .seconds(60), to: expiry) < 0)
    }
}
