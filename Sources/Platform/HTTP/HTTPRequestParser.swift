/// An incremental HTTP/1.1 request parser: bytes in, requests out, never assuming one read is one
/// message.
///
/// How this works (after h11's server-side `Connection`):
/// - `.head`: waiting for a complete request line and header section. Leading empty lines are
///   skipped. Over `headerSectionBytesMax` buffered without the end of the head → 431 (414 if the
///   request line alone is over its limit).
/// - `.body`: the head was valid and announced a body; bytes are read by `HTTPBodyDecoder`. A
///   Content-Length over `bodyBytesMax` is refused before any body byte is read (413). When the
///   request has `Expect: 100-continue` and no body byte has arrived yet, `.continueExpected` is
///   returned once so the server can send `100 Continue`.
/// - `.paused`: the last request asked to close the connection or to upgrade it (WebSocket); no
///   more requests are parsed. `takeRemainingBytes()` hands over what followed an upgrade.
/// - `.failed`: an error was returned; every later call returns it again.
///
/// Pipelining: call `next()` until it returns `.needMoreData`; each call yields at most one request.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// switch parser.feed(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) {
/// case .request(let request): print(request.path)  // "/"
/// case .continueExpected, .needMoreData, .error: break
/// }
/// ```
public struct HTTPRequestParser: Sendable {
    /// What the parser produced from the bytes so far.
    public enum Event: Sendable, Equatable {
        /// A complete request.
        case request(HTTPRequest)
        /// A request's head asked for `100 Continue` before sending its body.
        case continueExpected
        /// No complete request yet: feed more bytes.
        case needMoreData
        /// The stream is invalid; answer `error.status` and close.
        case error(HTTPParseError)
    }

    enum State: Sendable {
        case head
        case body(HTTPRequest, HTTPBodyDecoder, expectsContinue: Bool)
        case paused
        case failed(HTTPParseError)
    }

    public let limits: HTTPParserLimits
    private var buffer = HTTPReceiveBuffer()
    private var state = State.head
    private var headScanFrom = 0

    public init(limits: HTTPParserLimits = .standard) { self.limits = limits }

    /// Bytes received and not yet consumed by a returned request.
    public var bufferedByteCount: Int { buffer.readableCount }

    /// True once a request asked to close or upgrade the connection, or an error was returned.
    public var isPaused: Bool {
        switch state {
        case .paused, .failed: return true
        case .head, .body: return false
        }
    }

    /// True while waiting for (the rest of) a request head.
    public var isReadingHead: Bool {
        if case .head = state { return true }
        return false
    }

    /// True while a request's body is being received.
    public var isReadingBody: Bool {
        if case .body = state { return true }
        return false
    }

    /// True when no request is partly received (safe point for an idle close).
    public var isIdle: Bool {
        if case .head = state { return buffer.readableCount == 0 }
        return false
    }

    /// Appends `bytes` and returns the next event.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) -> Event {
        buffer.append(contentsOf: bytes)
        return next()
    }

    /// Appends received bytes without parsing; call `next()` afterwards.
    public mutating func append(_ raw: UnsafeRawBufferPointer) { buffer.append(raw) }

    /// Appends received bytes without parsing; call `next()` afterwards.
    public mutating func append<C: Collection<UInt8>>(contentsOf bytes: C) { buffer.append(contentsOf: bytes) }

    /// The stream ended: returns an error if a request was partly received, else nil.
    public func endOfStream() -> HTTPParseError? {
        switch state {
        case .head: return buffer.readableCount == 0 ? nil : .unexpectedEndOfStream
        case .body: return .unexpectedEndOfStream
        case .paused: return nil
        case .failed(let error): return error
        }
    }

    /// Removes and returns the bytes after the last request (the first bytes of an upgraded protocol).
    public mutating func takeRemainingBytes() -> [UInt8] { buffer.takeAll() }

    /// Parses the next request from the buffered bytes.
    public mutating func next() -> Event {
        do throws(HTTPParseError) {
            return try step()
        } catch {
            state = .failed(error)
            return .error(error)
        }
    }

    private mutating func step() throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .failed(let error):
                return .error(error)
            case .paused:
                return .needMoreData
            case .head:
                guard let (request, decoder, expectsContinue) = try parseHead() else { return .needMoreData }
                guard let decoder else { return finish(request) }
                if expectsContinue && buffer.readableCount == 0 {
                    state = .body(request, decoder, expectsContinue: false)
                    return .continueExpected
                }
                state = .body(request, decoder, expectsContinue: false)
            case .body(var request, var decoder, _):
                state = .head  // drop the references so the body is uniquely owned while appending
                let complete = try decoder.decode(&buffer, into: &request.body)
                if complete { return finish(request) }
                state = .body(request, decoder, expectsContinue: false)
                return .needMoreData
            }
        }
    }

    private mutating func finish(_ request: HTTPRequest) -> Event {
        let upgrading = request.headers.contains("Upgrade") && request.headers.containsToken("upgrade", in: "Connection")
        state = request.keepAlive && !upgrading ? .head : .paused
        return .request(request)
    }

    /// Parses a complete head if one is buffered; nil if more bytes are needed.
    private mutating func parseHead() throws(HTTPParseError) -> (HTTPRequest, HTTPBodyDecoder?, Bool)? {
        skipLeadingEmptyLines()
        var scan = headScanFrom
        let limits = self.limits
        let found: (Int, HTTPRequest, HTTPBodyDecoder?, Bool)? = try buffer.withReadable { bytes throws(HTTPParseError) in
            guard let headEnd = HTTPHeadParsing.findHeadEnd(bytes, scanFrom: &scan) else {
                if bytes.count > limits.requestLineBytesMax,
                    HTTPHeadParsing.lineEnd(bytes, from: 0, to: limits.requestLineBytesMax + 2) == nil
                {
                    throw .requestLineTooLong(limitBytes: limits.requestLineBytesMax)
                }
                if bytes.count > limits.headerSectionBytesMax {
                    throw .headerSectionTooLarge(limitBytes: limits.headerSectionBytesMax)
                }
                return nil
            }
            guard headEnd <= limits.headerSectionBytesMax else {
                throw .headerSectionTooLarge(limitBytes: limits.headerSectionBytesMax)
            }
            let (request, decoder, expects) = try HTTPRequestHead.parse(bytes, headEnd: headEnd, limits: limits)
            return (headEnd, request, decoder, expects)
        }
        guard let (headEnd, request, decoder, expects) = found else {
            headScanFrom = scan
            return nil
        }
        headScanFrom = 0
        buffer.consume(headEnd)
        return (request, decoder, expects)
    }

    private mutating func skipLeadingEmptyLines() {
        var skip = 0
        buffer.withReadable { bytes in
            while skip < bytes.count, bytes[skip] == 0x0D || bytes[skip] == 0x0A, skip < 64 { skip += 1 }
        }
        if skip > 0 {
            buffer.consume(skip)
            headScanFrom = 0
        }
    }
}
