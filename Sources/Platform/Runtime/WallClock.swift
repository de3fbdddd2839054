#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live clock port: the system's real-time clock, optionally shifted by a fixed offset.
///
/// The one place in the platform that reads the wall clock, sleeps or starts a thread, so that
/// deterministic code cannot reach them by accident; live drivers hand its `now` to the I/O-free
/// state machines. The offset lets a live collector follow a broker whose market runs on a
/// simulated session: both add the same offset, and their clocks agree across restarts.
public struct WallClock: Clock, Sendable {
    /// Added to the system time: `now = system time + offset` at rate 1.
    public var offset: Duration
    /// Clock seconds per real second: 1 follows real time; 60 runs a minute per second, to follow a
    /// broker serving a simulated session at `--speed 60`.
    public private(set) var rate: Double = 1
    /// The system time at which this clock read `anchor + offset` (only used when rate ≠ 1).
    private var anchor = Instant(nanosecondsSinceEpoch: 0)

    public init(offset: Duration = .zero) { self.offset = offset }

    /// A clock whose `now` is `instant` at this moment and advances `rate` times as fast as real
    /// time (rate > 0 and finite).
    public static func starting(at instant: Instant, rate: Double = 1) -> WallClock {
        precondition(rate > 0 && rate.isFinite, "clock rate \(rate) must be positive and finite")
        let system = WallClock.systemNow()
        var clock = WallClock(offset: instant - system)
        clock.rate = rate
        clock.anchor = system
        return clock
    }

    /// The shifted (and, at rate ≠ 1, scaled) real time, nanosecond resolution.
    public var now: Instant {
        let system = WallClock.systemNow()
        guard rate != 1 else { return system + offset }
        let elapsed = Double((system - anchor).wholeNanoseconds) * rate
        return anchor + offset + .nanoseconds(Int64(elapsed.rounded(.down)))
    }

    /// The real time it takes this clock to advance by `duration` (`duration / rate`).
    public func realDuration(of duration: Duration) -> Duration {
        guard rate != 1 else { return duration }
        return .nanoseconds(Int64((Double(duration.wholeNanoseconds) / rate).rounded(.up)))
    }

    /// `CLOCK_REALTIME` as an `Instant` (nanoseconds since the Unix epoch).
    public static func systemNow() -> Instant { read(CLOCK_REALTIME) }

    /// `CLOCK_MONOTONIC` as an `Instant`, for measuring elapsed time only (never a date).
    public static func monotonicNow() -> Instant { read(CLOCK_MONOTONIC) }

    /// The current UTC wall-clock instant (same as `systemNow()`).
    public static func now() -> Instant { systemNow() }

    /// A monotonic instant with an arbitrary origin (same as `monotonicNow()`).
    public static func monotonic() -> Instant { monotonicNow() }

    /// Blocks the calling thread for `duration` (no-op when not positive).
    public static func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Starts a joinable thread running `body`.
    public static func spawn(_ body: @escaping @Sendable () -> Void) -> WallThread {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        return WallThread(handle: handle)
    }

    private static func read(_ clock: clockid_t) -> Instant {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}

/// A thread started by `WallClock.spawn`; join it exactly once.
public struct WallThread: @unchecked Sendable {
    let handle: pthread_t

    /// Waits for the thread to finish.
    public func join() { pthread_join(handle, nil) }
}
