#if canImport(Glibc)
import Glibc
#endif

/// The real clock and real threads, for live drivers only (never for simulation logic).
///
/// The one sanctioned way outside this folder to read wall time, sleep, or start a thread, so
/// that deterministic code cannot reach them by accident: `now()` is UTC wall time,
/// `monotonic()` an arbitrary-origin clock that never jumps (use it to measure elapsed time).
public enum WallClock {
    /// The current UTC wall-clock instant (CLOCK_REALTIME).
    public static func now() -> Instant { read(CLOCK_REALTIME) }

    /// A monotonic instant with an arbitrary origin (CLOCK_MONOTONIC); differences are elapsed time.
    public static func monotonic() -> Instant { read(CLOCK_MONOTONIC) }

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
