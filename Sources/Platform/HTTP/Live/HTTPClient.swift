#if canImport(Glibc)
import Glibc
import Synchronization

/// Why an `HTTPClient` call failed; every case says what to check.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP connection could not be made (refused, unreachable, bad address).
    case connectFailed(host: String, port: Int, reason: String)
    /// No complete response arrived within the request timeout.
    case timedOut(after: Duration)
    /// The server closed the connection before a complete response.
    case connectionClosed
    /// The response could not be parsed.
    case invalidResponse(HTTPParseError)
    /// A socket call failed mid-request.
    case io(SocketError)

    public var description: String {
        switch self {
        case .connectFailed(let host, let port, let reason): return "could not connect to \(host):\(port): \(reason)"
        case .timedOut(let after): return "no complete response within \(after)"
        case .connectionClosed: return "the server closed the connection before a complete response"
        case .invalidResponse(let error): return "invalid response: \(error)"
        case .io(let error): return "socket error: \(error)"
        }
    }
}

/// A small blocking HTTP/1.1 client with keep-alive connection pooling and timeouts.
///
/// Each call blocks its thread until the response or the timeout (polling, never sleeping); run
/// it off the event loops. Idle connections are pooled per host and port, at most
/// `idleConnectionsPerHostMax` each; a pooled connection the server has since closed is retried
/// once on a fresh connection for idempotent methods.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration
        /// From sending the request to having the whole response.
        public var requestTimeout: Duration
        public var idleConnectionsPerHostMax: Int
        public var limits: HTTPParserLimits

        public init(
            connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30),
            idleConnectionsPerHostMax: Int = 8, limits: HTTPParserLimits = HTTPParserLimits(bodyBytesMax: 64 << 20)
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.idleConnectionsPerHostMax = idleConnectionsPerHostMax
            self.limits = limits
        }
    }

    public let configuration: Configuration
    private let idle = Mutex<[String: [Int32]]>([:])

    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    deinit {
        idle.withLock { pool in
            for fds in pool.values { for fd in fds { close(fd) } }
        }
    }

    /// Sends `request` to `host:port` and returns the final (non-1xx) response.
    ///
    /// A `Host` header is added if missing.
    public func send(_ request: HTTPRequest, host: String, port: Int) throws(HTTPClientError) -> HTTPResponse {
        var request = request
        if !request.headers.contains("Host") { request.headers.add(name: "Host", value: "\(host):\(port)") }
        var wire: [UInt8] = []
        request.serialize(into: &wire)
        let key = "\(host):\(port)"
        let idempotent = request.method != .post && request.method != .patch
        if let pooled = takeIdle(key) {
            do throws(HTTPClientError) {
                return try exchange(fd: pooled, wire: wire, method: request.method, key: key)
            } catch .connectionClosed where idempotent {
                // The server closed the idle connection meanwhile: retry once on a fresh one.
            } catch {
                throw error
            }
        }
        let fd = try connect(host: host, port: port)
        return try exchange(fd: fd, wire: wire, method: request.method, key: key)
    }

    /// GET `target` from `host:port`.
    public func get(_ target: String, host: String, port: Int, headers: HTTPHeaders = HTTPHeaders()) throws(HTTPClientError) -> HTTPResponse {
        try send(HTTPRequest(method: .get, target: target, headers: headers), host: host, port: port)
    }

    private func takeIdle(_ key: String) -> Int32? {
        idle.withLock { pool in pool[key]?.popLast() }
    }

    private func putIdle(_ fd: Int32, key: String) {
        let kept = idle.withLock { pool in
            guard pool[key, default: []].count < configuration.idleConnectionsPerHostMax else { return false }
            pool[key, default: []].append(fd)
            return true
        }
        if !kept { close(fd) }
    }

    private func exchange(fd: Int32, wire: [UInt8], method: HTTPMethod, key: String) throws(HTTPClientError) -> HTTPResponse {
        let deadline = Socket.monotonicNow() + configuration.requestTimeout
        do throws(HTTPClientError) {
            try writeAll(fd: fd, wire, deadline: deadline)
            var parser = HTTPResponseParser(limits: configuration.limits)
            parser.requestMethod = method
            let response = try readResponse(fd: fd, parser: &parser, deadline: deadline)
            if response.closesConnection || parser.bufferedByteCount > 0 { close(fd) } else { putIdle(fd, key: key) }
            return response
        } catch {
            close(fd)
            throw error
        }
    }

    private func readResponse(fd: Int32, parser: inout HTTPResponseParser, deadline: Instant) throws(HTTPClientError) -> HTTPResponse {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            switch parser.next() {
            case .response(let response):
                if response.status.code >= 100 && response.status.code < 200 { continue }
                return response
            case .error(let error):
                throw .invalidResponse(error)
            case .needMoreData:
                break
            }
            try waitFor(fd: fd, events: Int16(POLLIN), deadline: deadline)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            } else if count == 0 {
                switch parser.endOfStream() {
                case .response(let response): return response
                case .error(.unexpectedEndOfStream), .needMoreData: throw .connectionClosed
                case .error(let error): throw .invalidResponse(error)
                }
            } else if errno != EAGAIN && errno != EINTR {
                throw errno == ECONNRESET ? .connectionClosed : .io(SocketError("read"))
            }
        }
    }

    private func writeAll(fd: Int32, _ bytes: [UInt8], deadline: Instant) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                try waitFor(fd: fd, events: Int16(POLLOUT), deadline: deadline)
            } else {
                throw errno == EPIPE || errno == ECONNRESET ? .connectionClosed : .io(SocketError("send"))
            }
        }
    }

    private func waitFor(fd: Int32, events: Int16, deadline: Instant) throws(HTTPClientError) {
        while true {
            let remaining = deadline - Socket.monotonicNow()
            guard remaining > .zero else { throw .timedOut(after: configuration.requestTimeout) }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .io(SocketError("poll")) }
        }
    }

    private func connect(host: String, port: Int) throws(HTTPClientError) -> Int32 {
        let address: sockaddr_in
        do throws(SocketError) { address = try Socket.makeAddress(host: host, port: port) } catch {
            throw .connectFailed(host: host, port: port, reason: error.description)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io(SocketError("socket")) }
        var target = address
        let status = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if status != 0 && errno != EINPROGRESS {
            let reason = SocketError("connect").description
            close(fd)
            throw .connectFailed(host: host, port: port, reason: reason)
        }
        do throws(HTTPClientError) {
            try waitFor(fd: fd, events: Int16(POLLOUT), deadline: Socket.monotonicNow() + configuration.connectTimeout)
        } catch {
            close(fd)
            throw error == .timedOut(after: configuration.requestTimeout) ? .timedOut(after: configuration.connectTimeout) : error
        }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard socketError == 0 else {
            close(fd)
            throw .connectFailed(host: host, port: port, reason: SocketError("connect", code: socketError).description)
        }
        Socket.setNoDelay(fd)
        return fd
    }
}
#endif
