import Testing

@testable import MarketSim

@Suite struct TradingCalendarTests {
    let calendar = MarketSpec.standard.calendar

    @Test("dates round-trip through (year, month, day) and ISO text for 2,000 consecutive days")
    func dateRoundTrip() {
        var previousWeekday = TradingDate(year: 2023, month: 12, day: 31).isoWeekday
        #expect(previousWeekday == 7)  // 2023-12-31 was a Sunday
        for offset in 0..<2_000 {
            let date = TradingDate(year: 2024, month: 1, day: 1).adding(days: offset)
            let (y, m, d) = date.components
            #expect(TradingDate(year: y, month: m, day: d) == date)
            #expect(TradingDate(iso: date.description) == date)
            #expect(date.isoWeekday == previousWeekday % 7 + 1)
            previousWeekday = date.isoWeekday
        }
        #expect(TradingDate(iso: "2025-02-29") == nil)
        #expect(TradingDate(iso: "2024-02-29") != nil)
    }

    @Test("instants parse with offsets and print in IST")
    func instants() {
        let t = MarketTime(iso: "2026-11-24T10:00:00+05:30")!
        #expect(t.description == "2026-11-24T10:00:00+05:30")
        #expect(MarketTime(iso: "2026-11-24T04:30:00Z") == t)
        #expect(t.istSecondOfDay == 36_000)
        #expect(MarketTime(iso: "2026-11-24 10:00") == nil)
        #expect(MarketTime(iso: "2026-13-24T10:00:00Z") == nil)
    }

    @Test("weekends and listed holidays are closed; 2026-11-24 (Guru Nanak Jayanti) maps to the 2026-11-23 close")
    func holidays() {
        #expect(!calendar.isTradingDay(TradingDate(year: 2026, month: 11, day: 24)))
        #expect(!calendar.isTradingDay(TradingDate(year: 2025, month: 12, day: 25)))
        #expect(!calendar.isTradingDay(TradingDate(year: 2026, month: 11, day: 21)))  // Saturday
        #expect(calendar.isTradingDay(TradingDate(year: 2026, month: 11, day: 23)))
        let at = MarketTime(iso: "2026-11-24T10:00:00+05:30")!
        #expect(calendar.session(at: at) == .closed(lastSession: TradingDate(year: 2026, month: 11, day: 23)))
        let open = MarketTime(iso: "2026-11-23T09:15:00+05:30")!
        #expect(calendar.session(at: open) == .open(date: TradingDate(year: 2026, month: 11, day: 23), secondOfSession: 0))
        let evening = MarketTime(iso: "2026-11-23T18:00:00+05:30")!
        #expect(calendar.session(at: evening) == .closed(lastSession: TradingDate(year: 2026, month: 11, day: 23)))
        let morning = MarketTime(iso: "2026-11-23T08:00:00+05:30")!
        #expect(calendar.session(at: morning) == .closed(lastSession: TradingDate(year: 2026, month: 11, day: 20)))
    }
}
