/// One server-side HTTP/1.1 connection as a state machine: bytes and clock ticks in, response
/// bytes and a close decision out. The live event loop and the simulated network both drive it.
///
/// How this works:
/// - `received(_:now:into:)` feeds the parser and answers every complete request (pipelined
///   requests in order) by appending the serialised response to `out`. `Expect: 100-continue`
///   appends `100 Continue`. A parse error appends its status as a JSON error and closes.
/// - Deadlines: while idle between requests the connection may live `idleTimeout`; once the first
///   byte of a request arrives its head must be complete within `headerTimeout` (slowloris) and the
///   whole request within `requestTimeout`. `deadline` says when to call `timedOut(now:into:)`,
///   which answers 408 if a request was partly received and closes.
/// - Output is bounded: past `outputBytesHighWater` appended bytes, further pipelined requests wait
///   in the parser; the driver calls `resume(now:into:)` after writing (`hasPendingInput`).
/// - `beginShutdown(into:)`: an idle connection closes now; one mid-request finishes that request,
///   answers it with `Connection: close`, then closes.
/// - WebSocket: a GET with `Upgrade: websocket` whose path the router accepts (`upgradeAccepts`)
///   is answered `101` and the action `.upgrade` hands over the request and the bytes that followed.
public struct HTTPServerConnection: Sendable {
    /// What the driver must do after a call.
    public enum Action: Sendable, Equatable {
        /// Keep reading.
        case `continue`
        /// Write everything appended to `out`, then close.
        case closeAfterWrite
        /// Write `out` (the 101 response), then speak WebSocket with these leftover bytes.
        case upgrade(HTTPRequest, leftover: [UInt8])
    }

    /// Timeouts, in the units of `Duration`.
    public struct Timeouts: Sendable, Equatable {
        public var idle: Duration
        public var header: Duration
        public var request: Duration

        public init(idle: Duration = .seconds(60), header: Duration = .seconds(10), request: Duration = .seconds(30)) {
            self.idle = idle
            self.header = header
            self.request = request
        }
    }

    let router: Router
    let timeouts: Timeouts
    /// Decides whether a WebSocket upgrade request should be accepted (true → 101).
    let upgradeAccepts: @Sendable (HTTPRequest) -> Bool
    /// The answer refusing an accepted-path upgrade (e.g. 403 for bad credentials), or nil to proceed.
    let upgradeRefusal: @Sendable (HTTPRequest) -> HTTPResponse?
    private var parser: HTTPRequestParser
    private var lastActivity: Instant
    private var requestStart: Instant?
    private var shuttingDown = false
    /// Requests answered on this connection.
    public private(set) var requestsServed = 0
    /// Once `out` holds this many bytes, pipelined requests wait in the parser until `resume`.
    public var outputBytesHighWater = 1 << 20

    public init(
        router: Router, limits: HTTPParserLimits = .standard, timeouts: Timeouts = Timeouts(), now: Instant,
        upgradeAccepts: @escaping @Sendable (HTTPRequest) -> Bool = { _ in false },
        upgradeRefusal: @escaping @Sendable (HTTPRequest) -> HTTPResponse? = { _ in nil }
    ) {
        self.router = router
        self.timeouts = timeouts
        self.upgradeAccepts = upgradeAccepts
        self.upgradeRefusal = upgradeRefusal
        self.parser = HTTPRequestParser(limits: limits)
        self.lastActivity = now
    }

    /// When `timedOut` must be called if nothing else happens first.
    public var deadline: Instant {
        guard let start = requestStart else { return lastActivity + timeouts.idle }
        if parser.isReadingHead { return start + timeouts.header }
        return start + timeouts.request
    }

    /// True if no request is partly received.
    public var isIdle: Bool { requestStart == nil }

    /// Handles received bytes, appending responses to `out`.
    public mutating func received<Out: HTTPOutputSink>(_ raw: UnsafeRawBufferPointer, now: Instant, into out: inout Out) -> Action {
        parser.append(raw)
        return process(now: now, into: &out)
    }

    /// Handles received bytes, appending responses to `out`.
    public mutating func received<C: Collection<UInt8>, Out: HTTPOutputSink>(_ bytes: C, now: Instant, into out: inout Out) -> Action {
        parser.append(contentsOf: bytes)
        return process(now: now, into: &out)
    }

    /// True if received requests wait because the output passed `outputBytesHighWater`.
    public var hasPendingInput: Bool { parser.bufferedByteCount > 0 && !parser.isPaused }

    /// Answers requests held back by the output bound; call once the driver has written `out`.
    public mutating func resume<Out: HTTPOutputSink>(now: Instant, into out: inout Out) -> Action {
        process(now: now, into: &out)
    }

    /// The peer closed its side: nothing more will arrive.
    public mutating func endOfStream<Out: HTTPOutputSink>(into out: inout Out) -> Action { .closeAfterWrite }

    /// The deadline passed: answers 408 if a request was partly received, and closes.
    public mutating func timedOut<Out: HTTPOutputSink>(now: Instant, into out: inout Out) -> Action {
        if requestStart != nil {
            HTTPError(.requestTimeout, type: "request_timeout", message: "the request was not received in time")
                .response.write(to: &out, keepAlive: false)
        }
        return .closeAfterWrite
    }

    /// Starts a graceful shutdown: close when idle, else after answering the current request.
    public mutating func beginShutdown<Out: HTTPOutputSink>(into out: inout Out) -> Action {
        shuttingDown = true
        return requestStart == nil ? .closeAfterWrite : .continue
    }

    private mutating func process<Out: HTTPOutputSink>(now: Instant, into out: inout Out) -> Action {
        lastActivity = now
        while true {
            // Bound the output one burst of pipelined requests can produce (a 64 KiB read of tiny
            // requests for a large resource would otherwise multiply into megabytes).
            if out.outputByteCount >= outputBytesHighWater { return .continue }
            switch parser.next() {
            case .needMoreData:
                if parser.bufferedByteCount > 0 || parser.isReadingBody {
                    if requestStart == nil { requestStart = now }
                } else {
                    requestStart = nil
                }
                return .continue
            case .continueExpected:
                if requestStart == nil { requestStart = now }
                out.appendBytes(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .error(let error):
                HTTPError(error.status, type: error.errorType, message: error.description)
                    .response.write(to: &out, keepAlive: false)
                return .closeAfterWrite
            case .request(let request):
                requestStart = nil
                requestsServed += 1
                if let action = upgradeIfRequested(request, into: &out) { return action }
                let keepAlive = request.keepAlive && !shuttingDown && !parser.isPaused
                router.respond(to: request).write(to: &out, keepAlive: keepAlive, headOnly: request.method == .head)
                if !keepAlive { return .closeAfterWrite }
            }
        }
    }

    private mutating func upgradeIfRequested<Out: HTTPOutputSink>(_ request: HTTPRequest, into out: inout Out) -> Action? {
        guard request.headers.contains("Upgrade") else { return nil }
        guard request.method == .get, HTTPHeaders.namesEqual(request.headers["Upgrade"] ?? "", "websocket") else {
            return nil
        }
        switch WebSocketHandshake.response(to: request) {
        case .failure(let error):
            var response = error.response
            // RFC 6455 §4.4: a version we do not speak is answered with the one we do.
            if error.status.code == 426 { response.headers.add(name: "Sec-WebSocket-Version", value: "13") }
            response.write(to: &out, keepAlive: false)
            return .closeAfterWrite
        case .success(let response):
            guard upgradeAccepts(request) else {
                HTTPError(.notFound, type: "not_found", message: "no WebSocket endpoint at \(request.path)")
                    .response.write(to: &out, keepAlive: false)
                return .closeAfterWrite
            }
            if let refusal = upgradeRefusal(request) {
                refusal.write(to: &out, keepAlive: false)
                return .closeAfterWrite
            }
            response.write(to: &out)
            return .upgrade(request, leftover: parser.takeRemainingBytes())
        }
    }
}
