#if canImport(Glibc)
import Glibc
import Synchronization

/// A command sent to a server loop from another thread.
enum LoopCommand: Sendable {
    /// Begin a graceful shutdown with this grace period.
    case shutdown(Duration)
    /// Write this pre-encoded frame to every WebSocket connection on `path`.
    case broadcast(path: String, frame: [UInt8])
}

/// The only state a loop shares with other threads: a locked command list and an eventfd to wake it.
///
/// The lock is taken once per posted command and once per wake-up by the loop; the HTTP request
/// path never touches it. The eventfd is written only when the list was empty, so a burst of
/// broadcasts costs one wake-up.
final class LoopMailbox: Sendable {
    let wakeFD: Int32
    private let commands = Mutex<[LoopCommand]>([])

    init() throws(SocketError) {
        wakeFD = Epoll.makeEventFD()
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
    }

    deinit { close(wakeFD) }

    func post(_ command: LoopCommand) {
        let wasEmpty = commands.withLock { list in
            list.append(command)
            return list.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
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
