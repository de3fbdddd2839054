import Chaos
import Platform
import Testing

/// Virtual time for live serving: a pure map from monotonic wall time, and the default start.
@Suite struct LiveClockTests {
    static func ist(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Instant {
        ISO8601.instant(CivilDate(year: year, month: month, day: day)!, hour: hour, minute: minute)
    }

    @Test("virtual time is origin plus speed times the wall time elapsed, for many speeds and offsets")
    func virtualTime() {
        let origin = Self.ist(2026, 11, 25, 10, 0)
        for speed in [0.5, 1, 2, 60, 1000] {
            let clock = LiveClock(origin: origin, speed: speed, wallOrigin: Instant(nanosecondsSinceEpoch: 5_000))
            for elapsedMillis: Int64 in [0, 1, 999, 1000, 60_000, 3_600_000] {
                let wall = Instant(nanosecondsSinceEpoch: 5_000 + elapsedMillis * 1_000_000)
                let expected = origin.nanosecondsSinceEpoch + Int64(Double(elapsedMillis * 1_000_000) * speed)
                #expect(clock.virtual(atWall: wall).nanosecondsSinceEpoch == expected)
                let target = Instant(nanosecondsSinceEpoch: expected + 1_000_000_000)
                let wait = clock.wallDuration(untilVirtual: target, fromWall: wall)
                #expect(clock.virtual(atWall: wall + wait) >= target)
            }
        }
    }

    @Test("the default start is now during a session, else the next session's 09:15 IST open, skipping holidays and weekends")
    func defaultStart() {
        let during = Self.ist(2026, 11, 25, 11, 30)
        #expect(LiveClock.defaultStart(wallNow: during) == during)
        #expect(LiveClock.defaultStart(wallNow: Self.ist(2026, 11, 25, 7, 0)) == Self.ist(2026, 11, 25, 9, 15))
        #expect(LiveClock.defaultStart(wallNow: Self.ist(2026, 11, 25, 16, 0)) == Self.ist(2026, 11, 26, 9, 15))
        // 24 Nov 2026 is an NSE holiday in the fixtures: Monday evening → Wednesday's open.
        #expect(LiveClock.defaultStart(wallNow: Self.ist(2026, 11, 23, 18, 0)) == Self.ist(2026, 11, 25, 9, 15))
        // Friday evening → Monday's open.
        let friday = Self.ist(2026, 11, 27, 20, 0)
        #expect(LiveClock.defaultStart(wallNow: friday) == Self.ist(2026, 11, 30, 9, 15))
    }
}
