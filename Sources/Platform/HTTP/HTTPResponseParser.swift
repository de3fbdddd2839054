/// An incremental HTTP/1.1 response parser for clients: bytes in, responses out.
///
/// How this works: `.head` waits for a status line and header section (limits as for requests);
/// `.body` reads the body framed by Content-Length, chunked coding, or — when neither is given —
/// until the connection closes (`endOfStream()` then completes it). Responses to HEAD, and 1xx,
/// 204 and 304 responses, have no body; set `requestMethod` before parsing the answer to a HEAD.
/// Interim 1xx responses are returned like any other; a client skips them.
public struct HTTPResponseParser: Sendable {
    /// What the parser produced from the bytes so far.
    public enum Event: Sendable, Equatable {
        case response(HTTPResponse)
        case needMoreData
        case error(HTTPParseError)
    }

    enum State: Sendable {
        case head
        case body(HTTPResponse, HTTPBodyDecoder)
        case failed(HTTPParseError)
    }

    public let limits: HTTPParserLimits
    /// The method of the request whose response is parsed next (only HEAD changes anything).
    public var requestMethod: HTTPMethod = .get
    private var buffer = HTTPReceiveBuffer()
    private var state = State.head
    private var headScanFrom = 0

    public init(limits: HTTPParserLimits = HTTPParserLimits(bodyBytesMax: 64 << 20)) { self.limits = limits }

    /// Bytes received and not yet consumed by a returned response.
    public var bufferedByteCount: Int { buffer.readableCount }

    /// Appends `bytes` and returns the next event.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) -> Event {
        buffer.append(contentsOf: bytes)
        return next()
    }

    /// Appends received bytes without parsing; call `next()` afterwards.
    public mutating func append(_ raw: UnsafeRawBufferPointer) { buffer.append(raw) }

    /// Appends received bytes without parsing; call `next()` afterwards.
    public mutating func append<C: Collection<UInt8>>(contentsOf bytes: C) { buffer.append(contentsOf: bytes) }

    /// Removes and returns the bytes after the last response (the first bytes of an upgraded protocol).
    public mutating func takeRemainingBytes() -> [UInt8] { buffer.takeAll() }

    /// The stream ended: completes a close-delimited body, or reports a truncated response.
    public mutating func endOfStream() -> Event {
        switch state {
        case .head:
            return buffer.readableCount == 0 ? .needMoreData : fail(.unexpectedEndOfStream)
        case .body(let response, let decoder):
            if decoder.state == .untilClose {
                state = .head
                return .response(response)
            }
            return fail(.unexpectedEndOfStream)
        case .failed(let error):
            return .error(error)
        }
    }

    /// Parses the next response from the buffered bytes.
    public mutating func next() -> Event {
        do throws(HTTPParseError) {
            while true {
                switch state {
                case .failed(let error):
                    return .error(error)
                case .head:
                    guard let (response, decoder) = try parseHead() else { return .needMoreData }
                    guard let decoder else { return .response(response) }
                    state = .body(response, decoder)
                case .body(var response, var decoder):
                    state = .head
                    if try decoder.decode(&buffer, into: &response.body) { return .response(response) }
                    state = .body(response, decoder)
                    return .needMoreData
                }
            }
        } catch {
            return fail(error)
        }
    }

    private mutating func fail(_ error: HTTPParseError) -> Event {
        state = .failed(error)
        return .error(error)
    }

    private mutating func parseHead() throws(HTTPParseError) -> (HTTPResponse, HTTPBodyDecoder?)? {
        var scan = headScanFrom
        let limits = self.limits
        let method = requestMethod
        let found: (Int, HTTPResponse, HTTPBodyDecoder?)? = try buffer.withReadable { bytes throws(HTTPParseError) in
            guard let headEnd = HTTPHeadParsing.findHeadEnd(bytes, scanFrom: &scan) else {
                if bytes.count > limits.headerSectionBytesMax {
                    throw .headerSectionTooLarge(limitBytes: limits.headerSectionBytesMax)
                }
                return nil
            }
            guard headEnd <= limits.headerSectionBytesMax else {
                throw .headerSectionTooLarge(limitBytes: limits.headerSectionBytesMax)
            }
            let (response, decoder) = try HTTPResponseParser.parseHead(bytes, headEnd: headEnd, limits: limits, method: method)
            return (headEnd, response, decoder)
        }
        guard let (headEnd, response, decoder) = found else {
            headScanFrom = scan
            return nil
        }
        headScanFrom = 0
        buffer.consume(headEnd)
        return (response, decoder)
    }

    static func parseHead(
        _ bytes: UnsafeBufferPointer<UInt8>, headEnd: Int, limits: HTTPParserLimits, method: HTTPMethod
    ) throws(HTTPParseError) -> (HTTPResponse, HTTPBodyDecoder?) {
        guard let lf = HTTPHeadParsing.lineEnd(bytes, from: 0, to: headEnd) else {
            throw .malformed(reason: "missing status line")
        }
        let lineEnd = HTTPHeadParsing.contentEnd(bytes, start: 0, lf: lf)
        // "HTTP/1.1 200 OK": version, space, three digits, then an optional space and phrase.
        guard lineEnd >= 12, bytes[8] == 0x20 else { throw .malformed(reason: "invalid status line") }
        let version = try HTTPRequestHead.parseVersion(UnsafeBufferPointer(rebasing: bytes[0..<8]))
        var code = 0
        for index in 9..<12 {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { throw .malformed(reason: "invalid status code") }
            code = code * 10 + Int(byte - 0x30)
        }
        guard code >= 100 && code <= 599 else { throw .malformed(reason: "status code \(code) outside 100...599") }
        guard lineEnd == 12 || bytes[12] == 0x20 else { throw .malformed(reason: "invalid status line") }
        let phrase = lineEnd > 13
            ? String(decoding: UnsafeBufferPointer(rebasing: bytes[13..<lineEnd]), as: UTF8.self) : ""
        let headers = try HTTPHeadParsing.parseFields(
            bytes, from: lf + 1, to: headEnd, fieldCountMax: limits.headerFieldCountMax,
            headerLimit: limits.headerSectionBytesMax)
        let status = HTTPStatus(code: code, reasonPhrase: phrase)
        let response = HTTPResponse(status: status, headers: headers, body: [], version: version)
        if status.forbidsBody || method == .head { return (response, nil) }
        let bodyLimit = limits.bodyBytesMax
        let trailerLimit = limits.headerSectionBytesMax
        if let encoding = headers["Transfer-Encoding"] {
            guard HTTPHeaders.namesEqual(encoding.split(separator: ",").last?.trimmingSpaces ?? "", "chunked") else {
                return (response, HTTPBodyDecoder(state: .untilClose, bodyLimit: bodyLimit, trailerLimit: trailerLimit))
            }
            return (response, HTTPBodyDecoder(state: .chunkSize, bodyLimit: bodyLimit, trailerLimit: trailerLimit))
        }
        if let lengthText = headers["Content-Length"] {
            let length = try HTTPRequestHead.parseContentLength(lengthText, limit: bodyLimit)
            if length == 0 { return (response, nil) }
            return (response, HTTPBodyDecoder(state: .length(remaining: length), bodyLimit: bodyLimit, trailerLimit: trailerLimit))
        }
        return (response, HTTPBodyDecoder(state: .untilClose, bodyLimit: bodyLimit, trailerLimit: trailerLimit))
    }
}
