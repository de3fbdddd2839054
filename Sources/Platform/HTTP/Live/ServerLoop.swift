#if canImport(Glibc)
import Glibc

/// One event loop of the live server: an epoll instance, its own SO_REUSEPORT listener, and the
/// connections it accepted. Confined to one thread; nothing in it is shared with other loops.
///
/// How this works: `run()` waits in `epoll_wait` (level-triggered) with a timeout of at most one
/// second. Readable listener → accept until EAGAIN. Readable connection → one `read` of up to 64 KiB
/// handed to the connection's state machine, whose responses are written at once; what the socket
/// does not take waits for EPOLLOUT, and reading pauses while more than `outboundBytesMax` is
/// unsent. Once a second, deadlines are swept. The wake eventfd carries shutdown and broadcasts.
final class ServerLoop {
    let configuration: HTTPServerConfiguration
    let router: Router
    let webSockets: WebSocketRoutes
    let epollFD: Int32
    var listenFD: Int32
    let wakeFD: Int32
    let mailbox: LoopMailbox
    var connections: [LiveConnection?] = []
    var openCount = 0
    var readBuffer: UnsafeMutableRawBufferPointer
    var shuttingDown = false
    var shutdownDeadline: Instant?
    var nextSweep = Instant.epoch

    init(
        configuration: HTTPServerConfiguration, router: Router, webSockets: WebSocketRoutes, listenFD: Int32,
        wakeFD: Int32, mailbox: LoopMailbox
    ) throws(SocketError) {
        self.configuration = configuration
        self.router = router
        self.webSockets = webSockets
        self.listenFD = listenFD
        self.wakeFD = wakeFD
        self.mailbox = mailbox
        epollFD = Epoll.create()
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        register(listenFD, events: Epoll.input)
        register(wakeFD, events: Epoll.input)
    }

    deinit {
        readBuffer.deallocate()
        close(epollFD)
    }

    func register(_ fd: Int32, events: UInt32) { Epoll.control(epollFD, Epoll.add, fd, events: events) }

    func modify(_ fd: Int32, events: UInt32) { Epoll.control(epollFD, Epoll.modify, fd, events: events) }

    /// Runs until a shutdown has finished.
    func run() {
        let eventCapacity = 256
        let events = UnsafeMutableRawPointer.allocate(byteCount: eventCapacity * Epoll.eventSize, alignment: 16)
        defer { events.deallocate() }
        while true {
            let ready = Epoll.wait(epollFD, events, capacity: eventCapacity, timeoutMilliseconds: 1000)
            let now = Socket.monotonicNow()
            if ready > 0 {
                for index in 0..<Int(ready) {
                    let (flags, fd) = Epoll.event(in: events, at: index)
                    if fd == listenFD {
                        acceptAll(now: now)
                    } else if fd == wakeFD {
                        drainWake(now: now)
                    } else if let connection = connection(fd) {
                        handle(connection, flags: flags, now: now)
                    }
                }
            }
            if now >= nextSweep {
                sweepDeadlines(now: now)
                nextSweep = now + .seconds(1)
            }
            if shuttingDown {
                if openCount == 0 { break }
                if let deadline = shutdownDeadline, now >= deadline {
                    for case let connection? in connections { closeConnection(connection) }
                    break
                }
            }
        }
        if listenFD >= 0 { close(listenFD) }
    }

    func connection(_ fd: Int32) -> LiveConnection? {
        Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    private func acceptAll(now: Instant) {
        while true {
            let fd = Epoll.acceptNonBlocking(listenFD)
            if fd < 0 { return }  // EAGAIN, or a transient error such as EMFILE: try again on the next event
            if openCount >= configuration.connectionsPerLoopMax || shuttingDown {
                close(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let machine = HTTPServerConnection(
                router: router, limits: configuration.limits, timeouts: configuration.timeouts, now: now,
                upgradeAccepts: { [webSockets] request in webSockets.route(for: request.path) != nil },
                upgradeRefusal: { [webSockets] request in webSockets.route(for: request.path)?.refusal(request) })
            let connection = LiveConnection(fd: fd, machine: machine)
            while connections.count <= Int(fd) { connections.append(nil) }
            connections[Int(fd)] = connection
            openCount += 1
            register(fd, events: Epoll.input | Epoll.readHangUp)
        }
    }

    private func handle(_ connection: LiveConnection, flags: UInt32, now: Instant) {
        if flags & Epoll.error != 0 {
            closeConnection(connection)
            return
        }
        if flags & Epoll.output != 0 {
            flush(connection)
            if connection.isClosed { return }
        }
        if flags & (Epoll.input | Epoll.hangUp | Epoll.readHangUp) != 0 && !connection.readPaused {
            readAndProcess(connection, now: now)
        }
    }

    private func readAndProcess(_ connection: LiveConnection, now: Instant) {
        let count = read(connection.fd, readBuffer.baseAddress, readBuffer.count)
        if count > 0 {
            let bytes = UnsafeRawBufferPointer(start: readBuffer.baseAddress, count: count)
            connection.received(bytes, now: now, loop: self)
        } else if count == 0 {
            connection.peerClosed(loop: self)
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            closeConnection(connection)
            return
        }
        if !connection.isClosed { flush(connection) }
    }

    /// Writes as much pending output as the socket takes; closes when done if asked to.
    func flush(_ connection: LiveConnection) {
        repeat {
            writePending(connection)
            if connection.isClosed { return }
        } while connection.pendingCount == 0 && connection.resumeIfWaiting(loop: self)
        if connection.pendingCount == 0 && connection.closeWhenFlushed {
            closeConnection(connection)
            return
        }
        updateInterest(connection)
    }

    /// Writes until the socket would block or nothing is left; closes the connection on an error.
    private func writePending(_ connection: LiveConnection) {
        while connection.pendingCount > 0 {
            let written = connection.writePending()
            if written > 0 {
                connection.consumePending(written)
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                closeConnection(connection)
                return
            }
        }
    }

    func updateInterest(_ connection: LiveConnection) {
        let wantsWrite = connection.pendingCount > 0
        let pauseRead = connection.pendingCount > configuration.outboundBytesMax || connection.closeWhenFlushed
            || connection.hasWaitingRequests
        if wantsWrite != connection.writeInterest || pauseRead != connection.readPaused {
            connection.writeInterest = wantsWrite
            connection.readPaused = pauseRead
            var events: UInt32 = 0
            if !pauseRead { events |= Epoll.input | Epoll.readHangUp }
            if wantsWrite { events |= Epoll.output }
            modify(connection.fd, events: events)
        }
    }

    func closeConnection(_ connection: LiveConnection) {
        guard !connection.isClosed else { return }
        connection.markClosed(loop: self)
        Epoll.control(epollFD, Epoll.delete, connection.fd, events: 0)
        close(connection.fd)
        connections[Int(connection.fd)] = nil
        openCount -= 1
    }

    private func sweepDeadlines(now: Instant) {
        for case let connection? in connections where !connection.isClosed {
            connection.checkDeadline(now: now, loop: self)
        }
    }

    private func drainWake(now: Instant) {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        var broadcasted = false
        for command in mailbox.take() {
            switch command {
            case .shutdown(let grace):
                beginShutdown(now: now, grace: grace)
            case .perform(let body):
                body()
            case .broadcast(let path, let frame):
                broadcasted = true
                for case let connection? in connections where !connection.isClosed {
                    connection.broadcast(frame, path: path, loop: self)
                }
            }
        }
        // Frames queued by a burst of broadcasts leave in one send per peer.
        if broadcasted {
            for case let connection? in connections where !connection.isClosed && connection.pendingCount > 0 {
                flush(connection)
            }
        }
    }

    private func beginShutdown(now: Instant, grace: Duration) {
        guard !shuttingDown else { return }
        shuttingDown = true
        shutdownDeadline = now + grace
        Epoll.control(epollFD, Epoll.delete, listenFD, events: 0)
        close(listenFD)
        listenFD = -1
        for case let connection? in connections where !connection.isClosed {
            connection.beginShutdown(loop: self)
        }
    }
}
#endif
