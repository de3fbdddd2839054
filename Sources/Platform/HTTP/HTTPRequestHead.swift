/// Parses a request's head (request line and header fields) and decides how its body is framed.
///
/// The framing rules follow RFC 9112 §6 strictly, because lenient framing is how requests get
/// smuggled: Transfer-Encoding together with Content-Length is rejected, differing or invalid
/// Content-Length values are rejected, and HTTP/1.1 requests need exactly one Host field.
enum HTTPRequestHead {
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, headEnd: Int, limits: HTTPParserLimits
    ) throws(HTTPParseError) -> (HTTPRequest, HTTPBodyDecoder?, expectsContinue: Bool) {
        guard let lf = HTTPHeadParsing.lineEnd(bytes, from: 0, to: headEnd) else {
            throw .malformed(reason: "missing request line")
        }
        let lineEnd = HTTPHeadParsing.contentEnd(bytes, start: 0, lf: lf)
        guard lineEnd <= limits.requestLineBytesMax else {
            throw .requestLineTooLong(limitBytes: limits.requestLineBytesMax)
        }
        var request = try parseRequestLine(UnsafeBufferPointer(rebasing: bytes[0..<lineEnd]))
        request.headers = try HTTPHeadParsing.parseFields(
            bytes, from: lf + 1, to: headEnd, fieldCountMax: limits.headerFieldCountMax,
            headerLimit: limits.headerSectionBytesMax)
        return try applyFieldSemantics(&request, limits: limits)
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        guard let firstSpace = line.firstIndex(of: 0x20) else {
            throw .malformed(reason: "request line must be 'METHOD target HTTP/1.1'")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPHeadParsing.isTokenByte) else {
            throw .malformed(reason: "invalid method token")
        }
        let targetStart = firstSpace + 1
        var targetEnd = targetStart
        while targetEnd < line.count, line[targetEnd] != 0x20 {
            let byte = line[targetEnd]
            guard byte > 0x20 && byte < 0x7F else { throw .malformed(reason: "invalid character in the request target") }
            targetEnd += 1
        }
        guard targetEnd > targetStart, targetEnd < line.count else {
            throw .malformed(reason: "request line must be 'METHOD target HTTP/1.1'")
        }
        let versionBytes = UnsafeBufferPointer(rebasing: line[(targetEnd + 1)...])
        let version = try parseVersion(versionBytes)
        guard let method = HTTPMethod.parse(methodBytes) else {
            throw .methodNotImplemented(method: String(decoding: methodBytes, as: UTF8.self))
        }
        let target = String(decoding: UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd]), as: UTF8.self)
        let (path, query) = try splitTarget(target, method: method)
        return HTTPRequest(
            method: method, target: target, path: path, query: query, version: version,
            headers: HTTPHeaders(), keepAlive: version == .http11)
    }

    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        if bytes.count == 8, bytes.starts(with: "HTTP/1.".utf8) {
            if bytes[7] == 0x31 { return .http11 }
            if bytes[7] == 0x30 { return .http10 }
        }
        let text = String(decoding: bytes.prefix(32), as: UTF8.self)
        if bytes.starts(with: "HTTP/".utf8), bytes.count >= 8 { throw .versionNotSupported(version: text) }
        throw .malformed(reason: "invalid HTTP version '\(text)'")
    }

    /// Splits an origin-form (or absolute-form) target into its decoded path and raw query.
    private static func splitTarget(_ target: String, method: HTTPMethod) throws(HTTPParseError) -> (String, String) {
        if target == "*" {
            guard method == .options else { throw .malformed(reason: "'*' target is only valid for OPTIONS") }
            return ("*", "")
        }
        var pathAndQuery = Substring(target)
        if !target.hasPrefix("/") {
            // Absolute form (RFC 9112 §3.2.2): servers must accept it; the authority is ignored.
            let schemeLength = target.hasPrefix("http://") ? 7 : target.hasPrefix("https://") ? 8 : 0
            guard schemeLength > 0 else { throw .malformed(reason: "request target must start with '/'") }
            let afterAuthority = target.dropFirst(schemeLength)
            pathAndQuery = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map {
                afterAuthority[$0...]
            } ?? "/"
            if pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        }
        let rawPath: Substring
        let query: Substring
        if let mark = pathAndQuery.firstIndex(of: "?") {
            rawPath = pathAndQuery[..<mark]
            query = pathAndQuery[pathAndQuery.index(after: mark)...]
        } else {
            rawPath = pathAndQuery
            query = ""
        }
        guard let path = PercentDecoding.decode(rawPath, plusIsSpace: false) else {
            throw .malformed(reason: "invalid percent-encoding in the path")
        }
        return (path, String(query))
    }

    private static func applyFieldSemantics(
        _ request: inout HTTPRequest, limits: HTTPParserLimits
    ) throws(HTTPParseError) -> (HTTPRequest, HTTPBodyDecoder?, expectsContinue: Bool) {
        let headers = request.headers
        var hostCount = 0
        var contentLength: Int?
        var chunked = false
        var expectsContinue = false
        var sawTransferEncoding = false
        for field in headers.fields {
            let name = field.name
            if HTTPHeaders.namesEqual(name, "Host") {
                hostCount += 1
            } else if HTTPHeaders.namesEqual(name, "Content-Length") {
                let value = try parseContentLength(field.value, limit: limits.bodyBytesMax)
                if let previous = contentLength, previous != value {
                    throw .malformed(reason: "conflicting Content-Length values")
                }
                contentLength = value
            } else if HTTPHeaders.namesEqual(name, "Transfer-Encoding") {
                sawTransferEncoding = true
                let codings = field.value.split(separator: ",").map { $0.trimmingSpaces }
                for coding in codings where !HTTPHeaders.namesEqual(coding, "chunked") {
                    throw .transferEncodingNotImplemented(encoding: String(coding.prefix(64)))
                }
                if chunked || codings.count != 1 { throw .malformed(reason: "chunked applied more than once") }
                chunked = true
            } else if HTTPHeaders.namesEqual(name, "Expect") {
                guard HTTPHeaders.namesEqual(field.value, "100-continue") else {
                    throw .expectationNotSupported(value: String(field.value.prefix(64)))
                }
                expectsContinue = true
            } else if HTTPHeaders.namesEqual(name, "Connection") {
                for token in field.value.split(separator: ",") {
                    let token = token.trimmingSpaces
                    if HTTPHeaders.namesEqual(token, "close") { request.keepAlive = false }
                    if HTTPHeaders.namesEqual(token, "keep-alive"), request.version == .http10 { request.keepAlive = true }
                }
            }
        }
        if request.version == .http11 && hostCount != 1 {
            throw .malformed(reason: hostCount == 0 ? "missing Host header" : "more than one Host header")
        }
        if sawTransferEncoding && contentLength != nil {
            throw .malformed(reason: "both Transfer-Encoding and Content-Length are present")
        }
        if sawTransferEncoding && request.version == .http10 {
            throw .malformed(reason: "Transfer-Encoding is not allowed in HTTP/1.0")
        }
        let decoder: HTTPBodyDecoder?
        if chunked {
            decoder = HTTPBodyDecoder(
                state: .chunkSize, bodyLimit: limits.bodyBytesMax, trailerLimit: limits.headerSectionBytesMax)
        } else if let length = contentLength, length > 0 {
            decoder = HTTPBodyDecoder(
                state: .length(remaining: length), bodyLimit: limits.bodyBytesMax,
                trailerLimit: limits.headerSectionBytesMax)
        } else {
            decoder = nil
        }
        if decoder != nil { request.body.reserveCapacity(min(contentLength ?? 0, limits.bodyBytesMax)) }
        return (request, decoder, expectsContinue && decoder != nil)
    }

    /// A Content-Length value: digits only (a list of identical values is tolerated), at most `limit`.
    static func parseContentLength(_ text: String, limit: Int) throws(HTTPParseError) -> Int {
        var result: Int?
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            let digits = element.trimmingSpaces.utf8
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .malformed(reason: "Content-Length is not a non-negative integer")
            }
            var value = 0
            for digit in digits {
                value = value * 10 + Int(digit - 0x30)
                if value > limit { throw .bodyTooLarge(limitBytes: limit) }
            }
            if let previous = result, previous != value { throw .malformed(reason: "conflicting Content-Length values") }
            result = value
        }
        return result ?? 0
    }
}
