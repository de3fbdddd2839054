#if canImport(Glibc)
import Glibc

/// The live HTTP/1.1 + WebSocket server: one epoll loop per thread, each with its own
/// SO_REUSEPORT listener, so the kernel spreads connections and no lock sits on the request path.
///
/// ```swift
/// var router = Router()
/// router.get("/health") { _, _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
/// let server = try HTTPServer.start(configuration: .init(port: 0), router: router)
/// print(server.port)
/// server.shutdown()   // graceful: in-flight requests finish
/// server.wait()
/// ```
public final class HTTPServer: Sendable {
    /// The bound port (useful when the configuration asked for port 0).
    public let port: Int
    public let configuration: HTTPServerConfiguration
    private let mailboxes: [LoopMailbox]
    private let threads: [LiveThread]

    private init(port: Int, configuration: HTTPServerConfiguration, mailboxes: [LoopMailbox], threads: [LiveThread]) {
        self.port = port
        self.configuration = configuration
        self.mailboxes = mailboxes
        self.threads = threads
    }

    /// Binds the listeners and starts the loops; returns once the server accepts connections.
    public static func start(
        configuration: HTTPServerConfiguration, router: Router, webSockets: WebSocketRoutes = WebSocketRoutes()
    ) throws(SocketError) -> HTTPServer {
        var listeners: [Int32] = []
        var mailboxes: [LoopMailbox] = []
        do throws(SocketError) {
            let first = try Socket.listen(
                host: configuration.host, port: configuration.port, backlog: configuration.backlog, reusePort: true)
            listeners.append(first)
            let port = Socket.localPort(first)
            for _ in 1..<configuration.loopCount {
                listeners.append(try Socket.listen(
                    host: configuration.host, port: port, backlog: configuration.backlog, reusePort: true))
            }
            for _ in 0..<configuration.loopCount { mailboxes.append(try LoopMailbox()) }
            var threads: [LiveThread] = []
            for index in 0..<configuration.loopCount {
                let listenFD = listeners[index]
                let mailbox = mailboxes[index]
                let loop = try ServerLoop(
                    configuration: configuration, router: router, webSockets: webSockets, listenFD: listenFD,
                    wakeFD: mailbox.wakeFD, mailbox: mailbox)
                let transfer = UncheckedTransfer(loop)
                threads.append(LiveThread.spawn { transfer.value.run() })
            }
            return HTTPServer(port: port, configuration: configuration, mailboxes: mailboxes, threads: threads)
        } catch {
            for fd in listeners { close(fd) }
            throw error
        }
    }

    /// Starts a graceful shutdown: stop accepting, close idle connections, finish in-flight
    /// requests (answered with `Connection: close`), force-close after the grace period.
    public func shutdown() {
        for mailbox in mailboxes { mailbox.post(.shutdown(configuration.shutdownGracePeriod), force: true) }
    }

    /// Blocks until every loop has finished (after `shutdown`).
    public func wait() {
        for thread in threads { thread.join() }
    }

    /// Sends `text` as one frame, encoded once, to every WebSocket connection on `path`.
    ///
    /// Peers whose unsent backlog would pass `outboundBytesMax` are dropped, not buffered. Returns
    /// false if a loop's mailbox was full (it is more than `LoopMailbox.capacity` commands behind);
    /// the message then did not reach that loop's peers, and the caller should slow down.
    @discardableResult
    public func broadcast(text: String, path: String) -> Bool {
        broadcast(frame: WebSocketFrameEncoder.serverFrame(.text, Array(text.utf8)), path: path)
    }

    /// Sends a pre-encoded server frame (see `WebSocketFrameEncoder.serverFrame`) to every
    /// WebSocket connection on `path`; false if a loop's mailbox was full.
    @discardableResult
    public func broadcast(frame: [UInt8], path: String) -> Bool {
        var all = true
        for mailbox in mailboxes where !mailbox.post(.broadcast(path: path, frame: frame)) { all = false }
        return all
    }

    /// WebSocket peers dropped so far because they fell too far behind (summed over loops).
    public var droppedSlowPeers: Int { mailboxes.reduce(0) { $0 + $1.droppedSlowPeers.load(ordering: .relaxed) } }
}

/// Moves a value built on one thread to the thread that will own it from then on.
struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
#endif
