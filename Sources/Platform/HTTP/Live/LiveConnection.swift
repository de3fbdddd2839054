#if canImport(Glibc)
import Glibc

/// One accepted socket inside a `ServerLoop`: its protocol state machine and unsent bytes.
///
/// A connection speaks HTTP until an upgrade succeeds, then WebSocket. Output is appended to
/// `out` (large bodies by reference) and written by the loop with `writev`.
final class LiveConnection {
    enum Mode {
        case http(HTTPServerConnection)
        case webSocket(WebSocketConnection, WebSocketEndpoint)
        case done
    }

    let fd: Int32
    var mode: Mode
    private var out = HTTPOutputQueue()
    var closeWhenFlushed = false
    var writeInterest = false
    var readPaused = false
    private(set) var isClosed = false
    private(set) var session: WebSocketSession?

    init(fd: Int32, machine: HTTPServerConnection) {
        self.fd = fd
        self.mode = .http(machine)
    }

    var pendingCount: Int { out.count }

    /// One `writev` of pending output; returns its result (bytes written, or -1 with errno).
    func writePending() -> Int { out.write(to: fd) }

    func consumePending(_ count: Int) { out.consume(count) }

    func received(_ bytes: UnsafeRawBufferPointer, now: Instant, loop: ServerLoop) {
        switch mode {
        case .http(var machine):
            mode = .done  // keep the machine uniquely referenced while it mutates
            let action = machine.received(bytes, now: now, into: &out)
            mode = .http(machine)
            apply(action, loop: loop)
        case .webSocket(var socket, let endpoint):
            mode = .done
            socket.append(bytes)
            var events: [WebSocketConnection.Event] = []
            var replies: [UInt8] = []
            while let event = socket.next(into: &replies) { events.append(event) }
            out.appendBytes(replies)
            mode = .webSocket(socket, endpoint)
            deliver(events, endpoint: endpoint, closed: socket.state == .closed)
        case .done:
            break
        }
    }

    private func deliver(_ events: [WebSocketConnection.Event], endpoint: WebSocketEndpoint, closed: Bool) {
        guard let session else { return }
        for event in events {
            switch event {
            case .text, .binary: endpoint.onMessage(session, event)
            case .ping, .pong, .closed: break
            }
        }
        if closed { closeWhenFlushed = true }
    }

    private func apply(_ action: HTTPServerConnection.Action, loop: ServerLoop) {
        switch action {
        case .continue:
            break
        case .closeAfterWrite:
            closeWhenFlushed = true
        case .upgrade(let request, let leftover):
            guard let endpoint = loop.webSockets.route(for: request.path) else {
                closeWhenFlushed = true
                return
            }
            var socket = WebSocketConnection(role: .server, messageBytesMax: loop.configuration.limits.bodyBytesMax)
            let session = WebSocketSession(connection: self, loop: loop, request: request)
            self.session = session
            mode = .webSocket(socket, endpoint)
            endpoint.onOpen(session)
            if !leftover.isEmpty {
                mode = .done
                var replies: [UInt8] = []
                let events = socket.receive(leftover, into: &replies)
                out.appendBytes(replies)
                mode = .webSocket(socket, endpoint)
                deliver(events, endpoint: endpoint, closed: socket.state == .closed)
            }
        }
    }

    /// True while received requests wait for the output to drain (reading pauses meanwhile, so
    /// the parser's buffer cannot grow with a flood of pipelined requests).
    var hasWaitingRequests: Bool {
        if case .http(let machine) = mode { return machine.hasPendingInput }
        return false
    }

    /// Answers pipelined requests that waited for the output to drain; true if it produced output.
    func resumeIfWaiting(loop: ServerLoop) -> Bool {
        guard case .http(var machine) = mode, machine.hasPendingInput, !closeWhenFlushed else { return false }
        mode = .done
        let action = machine.resume(now: Socket.monotonicNow(), into: &out)
        mode = .http(machine)
        apply(action, loop: loop)
        return pendingCount > 0
    }

    func peerClosed(loop: ServerLoop) {
        closeWhenFlushed = true
    }

    func checkDeadline(now: Instant, loop: ServerLoop) {
        guard case .http(var machine) = mode, now >= machine.deadline else { return }
        mode = .done
        let action = machine.timedOut(now: now, into: &out)
        mode = .http(machine)
        apply(action, loop: loop)
        loop.flush(self)
    }

    func beginShutdown(loop: ServerLoop) {
        switch mode {
        case .http(var machine):
            mode = .done
            let action = machine.beginShutdown(into: &out)
            mode = .http(machine)
            apply(action, loop: loop)
        case .webSocket(var socket, let endpoint):
            mode = .done
            var frame: [UInt8] = []
            socket.close(code: 1001, reason: "server shutting down", into: &frame)
            out.appendBytes(frame)
            mode = .webSocket(socket, endpoint)
            closeWhenFlushed = true
        case .done:
            closeWhenFlushed = true
        }
        loop.flush(self)
    }

    /// Queues a pre-encoded frame if this is a WebSocket on `path`; drops a peer that is too far behind.
    func broadcast(_ frame: [UInt8], path: String, loop: ServerLoop) {
        guard case .webSocket(let socket, let endpoint) = mode, endpoint.path == path, socket.state == .open else { return }
        enqueue(frame, loop: loop, flushNow: false)
    }

    /// Appends bytes for the peer, dropping the connection if its unsent backlog is over the bound.
    ///
    /// With `flushNow` false the caller flushes later, so several frames leave in one send.
    func enqueue(_ bytes: [UInt8], loop: ServerLoop, flushNow: Bool = true) {
        guard pendingCount + bytes.count <= loop.configuration.outboundBytesMax else {
            loop.mailbox.droppedSlowPeers.add(1, ordering: .relaxed)
            loop.closeConnection(self)
            return
        }
        let wasEmpty = pendingCount == 0
        out.appendBody(bytes)
        if wasEmpty && flushNow { loop.flush(self) }
    }

    func sendMessage(_ opcode: WebSocketOpcode, _ payload: [UInt8], loop: ServerLoop) {
        guard case .webSocket(var socket, let endpoint) = mode else { return }
        var frame: [UInt8] = []
        mode = .done
        if opcode == .text { socket.send(text: String(decoding: payload, as: UTF8.self), into: &frame) } else { socket.send(binary: payload, into: &frame) }
        mode = .webSocket(socket, endpoint)
        enqueue(frame, loop: loop)
    }

    func closeWebSocket(code: UInt16, reason: String, loop: ServerLoop) {
        guard case .webSocket(var socket, let endpoint) = mode else { return }
        mode = .done
        var frame: [UInt8] = []
        socket.close(code: code, reason: reason, into: &frame)
        out.appendBytes(frame)
        mode = .webSocket(socket, endpoint)
        loop.flush(self)
    }

    func markClosed(loop: ServerLoop) {
        isClosed = true
        if case .webSocket(_, let endpoint) = mode, let session { endpoint.onClose(session) }
        mode = .done
        session = nil
    }
}

/// A handle to one open WebSocket connection, valid on its loop's thread inside endpoint callbacks.
public final class WebSocketSession {
    unowned let connection: LiveConnection
    unowned let loop: ServerLoop
    /// The upgrade request (path, query, headers).
    public let request: HTTPRequest

    init(connection: LiveConnection, loop: ServerLoop, request: HTTPRequest) {
        self.connection = connection
        self.loop = loop
        self.request = request
    }

    /// Sends a text message; a peer whose backlog is over the server's bound is dropped instead.
    public func send(text: String) {
        guard !connection.isClosed else { return }
        connection.sendMessage(.text, Array(text.utf8), loop: loop)
    }

    /// Sends a binary message; a peer whose backlog is over the server's bound is dropped instead.
    public func send(binary: [UInt8]) {
        guard !connection.isClosed else { return }
        connection.sendMessage(.binary, binary, loop: loop)
    }

    /// Starts the close handshake.
    public func close(code: UInt16 = 1000, reason: String = "") {
        guard !connection.isClosed else { return }
        connection.closeWebSocket(code: code, reason: reason, loop: loop)
    }
}
#endif
