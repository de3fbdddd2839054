#if canImport(Glibc)
import Glibc

/// A joinable POSIX thread running one closure; the live drivers' only use of threads.
struct LiveThread: @unchecked Sendable {
    private let handle: pthread_t

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts a thread running `body`.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> LiveThread {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        return LiveThread(handle: handle)
    }

    /// Waits for the thread to finish.
    func join() { pthread_join(handle, nil) }
}
#endif
