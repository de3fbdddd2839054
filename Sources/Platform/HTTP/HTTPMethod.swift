/// An HTTP request method this server implements; any other token is answered with 501.
///
/// CONNECT and TRACE are recognised tokens but deliberately not implemented (501), as neither
/// has a use in opsim and both widen the attack surface.
public enum HTTPMethod: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case patch = "PATCH"
    case options = "OPTIONS"

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
