import Testing

@testable import Platform

@Suite struct WallClockTests {
    @Test("a clock started at an instant reads it at once and, at rate 1, keeps pace with the system clock")
    func startsAtInstant() {
        let start = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 0)
        let clock = WallClock.starting(at: start)
        let read = clock.now
        #expect(read >= start && read - start < .seconds(5))
        #expect(clock.realDuration(of: .seconds(3)) == .seconds(3))
    }

    @Test("at rate 60 the clock advances at least 60 times the real time slept, and real waits shrink 60 times")
    func runsFast() {
        let start = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 0)
        let clock = WallClock.starting(at: start, rate: 60)
        WallClock.sleep(for: .milliseconds(50))
        // nanosleep sleeps at least as long as asked, so the clock moved at least 60 × 50 ms.
        #expect(clock.now - start >= .seconds(3))
        #expect(clock.realDuration(of: .seconds(60)) == .seconds(1))
        #expect(clock.realDuration(of: .milliseconds(1)) == .nanoseconds(16_667))
    }
}
