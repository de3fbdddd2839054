#if canImport(Glibc)
import Glibc
import Synchronization

/// A command sent to a server loop from another thread.
enum LoopCommand: Sendable {
    /// Begin a graceful shutdown with this grace period.
    case shutdown(Duration)
    /// Write this pre-encoded frame to every WebSocket connection on `path`.
    case broadcast(path: String, frame: [UInt8])
    /// Run this closure on the loop's thread (how `WebSocketRemote` reaches one connection).
    case perform(@Sendable () -> Void)
}

/// The only state a loop shares with other threads: a locked command list and an eventfd to wake it.
///
/// The lock is taken once per posted command and once per wake-up by the loop; the HTTP request
/// path never touches it. The eventfd is written only when the list was empty, so a burst of
/// broadcasts costs one wake-up.
final class LoopMailbox: Sendable {
    /// Most commands waiting for the loop; `post` refuses more, so a fast producer cannot grow it.
    static let capacity = 4096
    let wakeFD: Int32
    /// WebSocket peers this loop dropped for falling behind (written by the loop, read by anyone).
    let droppedSlowPeers = Atomic<Int>(0)
    private let commands = Mutex<[LoopCommand]>([])

    init() throws(SocketError) {
        wakeFD = Epoll.makeEventFD()
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
    }

    deinit { close(wakeFD) }

    /// Queues `command` for the loop; false if the mailbox is full (the loop is behind).
    @discardableResult
    func post(_ command: LoopCommand, force: Bool = false) -> Bool {
        let (accepted, wasEmpty) = commands.withLock { list -> (Bool, Bool) in
            guard force || list.count < LoopMailbox.capacity else { return (false, false) }
            list.append(command)
            return (true, list.count == 1)
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
        return accepted
    }

    func take() -> [LoopCommand] {
        commands.withLock { list in
            let taken = list
            list.removeAll()
            return taken
        }
    }
}
#endif
