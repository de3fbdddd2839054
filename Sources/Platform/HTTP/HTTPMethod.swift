/// An HTTP request method this server parses; any other token is answered with 501.
///
/// TRACE is parsed so routers can answer it with 405 and an `Allow` header (no route ever echoes
/// a request); CONNECT stays unimplemented (501), as its authority-form target has no use here.
public enum HTTPMethod: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case patch = "PATCH"
    case options = "OPTIONS"
    case trace = "TRACE"

    /// The method spelled by `bytes` (case-sensitive, as RFC 9110 requires), or nil.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod? {
        switch bytes.count {
        case 3:
            if bytes[0] == 0x47, bytes[1] == 0x45, bytes[2] == 0x54 { return .get }  // GET
            if bytes[0] == 0x50, bytes[1] == 0x55, bytes[2] == 0x54 { return .put }  // PUT
            return nil
        default:
            for method in HTTPMethod.allCases where method.rawValue.utf8.count == bytes.count {
                if method.rawValue.utf8.elementsEqual(bytes) { return method }
            }
            return nil
        }
    }

    public var description: String { rawValue }
}

/// The protocol version of a message; only HTTP/1.0 and HTTP/1.1 are spoken.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    case http10
    case http11

    public var description: String { self == .http10 ? "HTTP/1.0" : "HTTP/1.1" }
}
