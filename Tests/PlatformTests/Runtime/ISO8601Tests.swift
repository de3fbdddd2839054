import Testing

@testable import Platform

@Suite struct ISO8601Tests {
    @Test("instants print in IST with the +05:30 offset")
    func formatsIST() {
        let open = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 24)!, hour: 9, minute: 15)
        #expect(open.description == "2026-11-24T09:15:00+05:30")
        #expect(open.secondsSinceEpoch == 1_795_491_900)
        #expect(Instant.epoch.description == "1970-01-01T05:30:00+05:30")
        #expect((open + .milliseconds(250)).description == "2026-11-24T09:15:00.25+05:30")
    }

    @Test("parsing accepts Z and any offset and round-trips what format prints")
    func parses() {
        let open = ISO8601.parse("2026-11-24T09:15:00+05:30")
        #expect(open == ISO8601.parse("2026-11-24T03:45:00Z"))
        #expect(open == ISO8601.parse("2026-11-23T22:15:00-05:30"))
        #expect(ISO8601.parse("2026-11-24T03:45:00.000000001Z")!.nanosecondsSinceEpoch % 1_000_000_000 == 1)
        var random = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let instant = Instant(nanosecondsSinceEpoch: random.next(in: -4_000_000_000_000_000_000...4_000_000_000_000_000_000))
            #expect(ISO8601.parse(instant.description) == instant)
        }
    }

    @Test("malformed instants are rejected", arguments: [
        "", "2026-11-24", "2026-11-24T09:15", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-24T24:00:00Z", "2026-11-24T09:15:00+0530", "2026-11-24T09:15:00.Z", "2026-11-24T09:15:00Zjunk",
        "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z",
    ])
    func rejects(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test("civil dates round-trip through days since the epoch, with correct weekdays")
    func civilDates() {
        #expect(CivilDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.isoWeekday == 4)  // a Thursday
        #expect(CivilDate(year: 2026, month: 11, day: 24)!.isoWeekday == 2)  // a Tuesday
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
    }
}
