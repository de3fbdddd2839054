import Testing

@testable import MarketSim

@Suite struct KiteTimeTests {
    @Test("dates round-trip through days since the epoch and weekdays are right")
    func dateRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = KiteDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(KiteDate(year: date.year, month: date.month, day: date.day) == date)
        }
        #expect(KiteDate(year: 2026, month: 11, day: 24)?.isoWeekday == 2)
        #expect(KiteDate(year: 1970, month: 1, day: 1)?.isoWeekday == 4)
        #expect(KiteDate(year: 2025, month: 2, day: 29) == nil && KiteDate(year: 2024, month: 2, day: 29) != nil)
    }

    @Test("Kite's IST formats: 19-character quote times, +0530 candle times, parsing both input forms")
    func formats() {
        let instant = KiteInstant(secondsSinceEpoch: 1_625_461_887)  // 2021-07-05 10:41:27 IST
        #expect(KiteTime.timestamp19(instant) == "2021-07-05 10:41:27")
        var candle: [UInt8] = []
        KiteTime.appendCandleTimestamp(instant, to: &candle)
        #expect(String(decoding: candle, as: UTF8.self) == "2021-07-05T10:41:27+0530")
        #expect(KiteTime.parseIST("2021-07-05 10:41:27") == instant)
        #expect(KiteTime.parseIST("2021-07-05") == KiteInstant(ist: KiteDate(year: 2021, month: 7, day: 5)!, hour: 0, minute: 0))
        for bad in ["2021-07-05 25:00:00", "2021-13-01", "2021-07-05 10:41", "yesterday", ""] {
            #expect(KiteTime.parseIST(bad) == nil, "\(bad)")
        }
        #expect(KiteInstant(secondsSinceEpoch: -1).istSecondOfDay == 19_799)
    }

    @Test("form bodies decode + as space and %XX as bytes, keeping malformed escapes")
    func formDecoding() {
        let fields = KiteForm.decode(Array("i=NFO%3ANIFTY+50&x=%ZZ&flag&e=".utf8))
        #expect(fields == [KiteField("i", "NFO:NIFTY 50"), KiteField("x", "%ZZ"), KiteField("flag", ""), KiteField("e", "")])
    }
}
