#if canImport(Glibc)
import Glibc
import Synchronization

/// One live ticker WebSocket (`ws://HOST:PORT/PATH?api_key=…&access_token=…`) with its reader thread.
///
/// How this works: `open` spawns a thread that connects, sends the upgrade request, and on a
/// 101 reports `.opened`; it then reads until the socket ends, feeding bytes to a client-role
/// `WebSocketConnection` (which answers pings) and reporting every text and binary message. A
/// refused upgrade, a connect failure or the end of the stream is reported once as `.closed`,
/// unless the collector itself asked to close. `send(text:)` writes a masked frame from the
/// calling thread; `close()` shuts the socket down so the reader thread ends. The sans-IO parts
/// (frames, masking, handshake) are the same ones the server uses.
final class LiveTickerSocket: Sendable {
    let connection: Int
    private struct State {
        var fd: Int32 = -1
        var websocket = WebSocketConnection(role: .client, maskSeed: 0x7_1C6E)
        var closedByUs = false
    }
    private let state = Mutex(State())
    private let thread = Mutex<LiveThread?>(nil)
    /// Receive timeout: a ticker sends a heartbeat every second, so 10 s of silence is a dead link.
    static let silenceMax: Int = 10

    private init(connection: Int) { self.connection = connection }

    /// Starts connecting on a new thread; every event goes to `report` (from that thread).
    static func open(
        host: String, port: Int, path: String, connection: Int, report: @escaping @Sendable (TickerEvent) -> Void
    ) -> LiveTickerSocket {
        let socket = LiveTickerSocket(connection: connection)
        let spawned = LiveThread.spawn { socket.run(host: host, port: port, path: path, report: report) }
        socket.thread.withLock { $0 = spawned }
        return socket
    }

    /// Writes one text message; false if the socket is not open.
    @discardableResult
    func send(text: [UInt8]) -> Bool {
        state.withLock { state in
            guard state.fd >= 0, !state.closedByUs else { return false }
            var wire: [UInt8] = []
            state.websocket.send(text: String(decoding: text, as: UTF8.self), into: &wire)
            return Self.writeAll(state.fd, wire)
        }
    }

    /// Shuts the socket down (the reader thread then ends without reporting `.closed`).
    func close() {
        state.withLock { state in
            state.closedByUs = true
            if state.fd >= 0 { shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Waits for the reader thread to end (call after `close`).
    func join() {
        let current = thread.withLock { value -> LiveThread? in
            defer { value = nil }
            return value
        }
        current?.join()
    }

    private func run(host: String, port: Int, path: String, report: @escaping @Sendable (TickerEvent) -> Void) {
        let reason = session(host: host, port: port, path: path, report: report)
        let fd = state.withLock { state -> Int32 in
            defer { state.fd = -1 }
            return state.fd
        }
        if fd >= 0 { Glibc.close(fd) }
        let silent = state.withLock { $0.closedByUs }
        if !silent { report(.closed(connection: connection, reason: reason)) }
    }

    /// Connects, upgrades and reads until the end; returns why it ended.
    private func session(host: String, port: Int, path: String, report: @Sendable (TickerEvent) -> Void) -> String {
        let address: sockaddr_in
        do throws(SocketError) { address = try Socket.makeAddress(host: host, port: port) } catch { return error.description }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return SocketError("socket").description }
        var timeout = timeval(tv_sec: Self.silenceMax, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let proceed = state.withLock { state -> Bool in
            state.fd = fd
            return !state.closedByUs
        }
        guard proceed else { return "closed before connecting" }
        var target = address
        let status = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { return SocketError("connect").description }
        Socket.setNoDelay(fd)
        let key = Base64.encode((0..<16).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ connection) })
        var wire: [UInt8] = []
        var upgrade = WebSocketHandshake.request(host: "\(host):\(port)", path: path, key: key)
        upgrade.headers.replaceOrAdd(name: "X-Kite-Version", value: "3")
        upgrade.serialize(into: &wire)
        guard Self.writeAll(fd, wire) else { return "the upgrade request could not be written" }
        var parser = HTTPResponseParser()
        var leftover: [UInt8] = []
        while true {
            guard let bytes = Self.readSome(fd) else { return "the connection ended during the upgrade" }
            parser.append(contentsOf: bytes)
            let event = parser.next()
            if case .error(let error) = event { return "bad upgrade response: \(error)" }
            if case .response(let response) = event {
                guard WebSocketHandshake.isAccepted(response, key: key) else {
                    return "upgrade refused with HTTP \(response.status.code): \(String(decoding: response.body.prefix(200), as: UTF8.self))"
                }
                leftover = parser.takeRemainingBytes()
                break
            }
        }
        report(.opened(connection: connection))
        var bytes = leftover
        while true {
            let events = state.withLock { state -> [WebSocketConnection.Event] in
                var replies: [UInt8] = []
                let events = state.websocket.receive(bytes, into: &replies)
                if !replies.isEmpty { _ = Self.writeAll(fd, replies) }
                return events
            }
            for event in events {
                switch event {
                case .text(let text): report(.text(connection: connection, Array(text.utf8)))
                case .binary(let payload): report(.binary(connection: connection, payload))
                case .closed(let code, let reason): return "closed by the broker (\(code) \(reason))"
                case .ping, .pong: continue
                }
            }
            guard let next = Self.readSome(fd) else { return "the connection ended or fell silent for \(Self.silenceMax) s" }
            bytes = next
        }
    }

    private static func readSome(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            return count > 0 ? Array(buffer[0..<count]) : nil
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
#endif
