#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live clock port: the system's real-time clock, optionally shifted by a fixed offset.
///
/// The one place in the platform that reads the wall clock; live drivers hand its `now` to the
/// I/O-free state machines. The offset lets a live collector follow a broker whose market runs on
/// a simulated session (for example a fixed trading day, started at some wall instant): both add
/// the same offset, and their clocks agree across restarts.
public struct WallClock: Clock, Sendable {
    /// Added to the system time: `now = system time + offset`.
    public var offset: Duration

    public init(offset: Duration = .zero) { self.offset = offset }

    /// A clock whose `now` is `instant` at this moment and advances with real time.
    public static func starting(at instant: Instant) -> WallClock {
        WallClock(offset: instant - WallClock.systemNow())
    }

    /// The shifted real time (nanosecond resolution).
    public var now: Instant { WallClock.systemNow() + offset }

    /// `CLOCK_REALTIME` as an `Instant` (nanoseconds since the Unix epoch).
    public static func systemNow() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// `CLOCK_MONOTONIC` as an `Instant`, for measuring elapsed time only (never a date).
    public static func monotonicNow() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
