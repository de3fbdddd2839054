import MarketSim
import Platform

/// Virtual time for a live server: `origin + speed × (wall elapsed since wallOrigin)`.
///
/// Pure arithmetic over instants the caller reads from `WallClock`; nothing here reads a clock
/// except `virtualNow()`, the live drivers' convenience.
public struct LiveClock: Sendable, Equatable {
    /// The virtual instant at `wallOrigin`.
    public let origin: Instant
    /// Virtual seconds per wall second (> 0).
    public let speed: Double
    /// The monotonic wall instant (`WallClock.monotonic()`) the clock started at.
    public let wallOrigin: Instant

    public init(origin: Instant, speed: Double, wallOrigin: Instant) {
        precondition(speed > 0 && speed.isFinite, "speed \(speed) must be positive and finite")
        self.origin = origin
        self.speed = speed
        self.wallOrigin = wallOrigin
    }

    /// The virtual instant when the monotonic clock reads `wall`.
    public func virtual(atWall wall: Instant) -> Instant {
        let elapsed = Double(wall.nanosecondsSinceEpoch - wallOrigin.nanosecondsSinceEpoch)
        return Instant(nanosecondsSinceEpoch: origin.nanosecondsSinceEpoch + Int64((elapsed * speed).rounded(.down)))
    }

    /// The current virtual instant (reads `WallClock.monotonic()`).
    public func virtualNow() -> Instant { virtual(atWall: WallClock.monotonic()) }

    /// Wall time until the virtual clock reaches `target` (zero if it already has).
    public func wallDuration(untilVirtual target: Instant, fromWall wall: Instant = WallClock.monotonic()) -> Duration {
        let ahead = Double(target.nanosecondsSinceEpoch - virtual(atWall: wall).nanosecondsSinceEpoch)
        guard ahead > 0 else { return .zero }
        return .nanoseconds(Int64((ahead / speed).rounded(.up)))
    }

    /// The default start for wall instant `wallNow` (UTC): itself while a session is open, else the
    /// next session's open (09:15 IST on the next trading day).
    public static func defaultStart(wallNow: Instant, calendar: TradingCalendar = MarketSpec.standard.calendar) -> Instant {
        let time = MarketTime(nanosecondsSinceEpoch: wallNow.nanosecondsSinceEpoch)
        switch calendar.session(at: time) {
        case .open:
            return wallNow
        case .closed(let lastSession):
            let next = calendar.tradingDay(after: lastSession)
            return Instant(nanosecondsSinceEpoch: calendar.time(next, secondOfSession: 0).nanosecondsSinceEpoch)
        }
    }
}
