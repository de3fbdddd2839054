/// An HTTP response: status, header fields and the whole body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The version the response was read with (serialising always writes HTTP/1.1).
    public var version: HTTPVersion

    public init(
        status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        version: HTTPVersion = .http11
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.version = version
    }

    /// A response with a JSON body (`Content-Type: application/json`).
    public static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// A JSON error body `{"error":message,"error_type":type}` with `status`.
    public static func error(_ status: HTTPStatus, type: String, message: String) -> HTTPResponse {
        var body: [UInt8] = []
        body.append(contentsOf: #"{"error":"#.utf8)
        JSONWriter.appendString(message, to: &body)
        body.append(contentsOf: #","error_type":"#.utf8)
        JSONWriter.appendString(type, to: &body)
        body.append(UInt8(ascii: "}"))
        return .json(body, status: status)
    }

    /// A response with a UTF-8 text body (`Content-Type: text/plain; charset=utf-8`).
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// True if the peer will close the connection after this response.
    public var closesConnection: Bool {
        if headers.containsToken("close", in: "Connection") { return true }
        return version == .http10 && !headers.containsToken("keep-alive", in: "Connection")
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status.code == rhs.status.code && lhs.headers == rhs.headers && lhs.body == rhs.body
    }
}

extension HTTPResponse {
    /// Appends the response's wire form (HTTP/1.1) to `out`.
    ///
    /// Adds `Content-Length` unless the response sets it or Transfer-Encoding, or its status
    /// forbids a body; adds `Connection: close` when `keepAlive` is false. With `headOnly` (the
    /// answer to HEAD) the body is left out but its length is still announced.
    public func serialize(into out: inout [UInt8], keepAlive: Bool = true, headOnly: Bool = false) {
        serializeHead(into: &out, keepAlive: keepAlive)
        if !headOnly && !status.forbidsBody { out.append(contentsOf: body) }
    }

    /// Appends the status line and header fields (with the added Content-Length and
    /// Connection fields) and the empty line that ends them, but not the body.
    public func serializeHead(into out: inout [UInt8], keepAlive: Bool = true) {
        HTTPResponse.appendStatusLine(status, to: &out)
        var hasLength = false
        for field in headers.fields {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Transfer-Encoding") {
                hasLength = true
            }
            out.append(contentsOf: field.name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: field.value.utf8)
            out.append(0x0D)
            out.append(0x0A)
        }
        if !hasLength && !status.forbidsBody {
            out.append(contentsOf: "Content-Length: ".utf8)
            HTTPResponse.appendDecimal(body.count, to: &out)
            out.append(0x0D)
            out.append(0x0A)
        }
        if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// The response's wire form as a new array.
    public func serialized(keepAlive: Bool = true, headOnly: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 128)
        serialize(into: &out, keepAlive: keepAlive, headOnly: headOnly)
        return out
    }

    static func appendStatusLine(_ status: HTTPStatus, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &out)
        out.append(0x20)
        out.append(contentsOf: status.reasonPhrase.utf8)
        out.append(0x0D)
        out.append(0x0A)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "negative decimal \(value)")
        if value < 10 {
            out.append(UInt8(0x30 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[19 - count] = UInt8(0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: raw[(20 - count)...])
        }
    }
}

extension HTTPRequest {
    /// Appends the request's wire form (HTTP/1.1) to `out`, for clients.
    ///
    /// The caller's headers are written as given (they must include Host); Content-Length is
    /// added when there is a body or the method usually carries one, and `Connection: close`
    /// when `keepAlive` is false.
    public func serialize(into out: inout [UInt8]) {
        out.append(contentsOf: method.rawValue.utf8)
        out.append(0x20)
        out.append(contentsOf: target.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        var hasLength = false
        for field in headers.fields {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Transfer-Encoding") {
                hasLength = true
            }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !hasLength && (!body.isEmpty || method == .post || method == .put || method == .patch) {
            out.append(contentsOf: "Content-Length: ".utf8)
            HTTPResponse.appendDecimal(body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !keepAlive && !headers.containsToken("close", in: "Connection") {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
    }
}
