/// Why an HTTP message was rejected: who was at fault and which status to answer with (as h11 does).
///
/// After any of these the parser is finished: the connection answers `status` (when the peer is
/// at fault and a response can still be sent) and closes.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request line and header fields together exceeded the limit (431).
    case headerSectionTooLarge(limitBytes: Int)
    /// The request line alone exceeded the limit (414).
    case requestLineTooLong(limitBytes: Int)
    /// The declared or received body exceeded the limit (413).
    case bodyTooLarge(limitBytes: Int)
    /// The bytes do not follow the HTTP/1.1 grammar (400).
    case malformed(reason: String)
    /// The method token is valid but not one this server implements (501).
    case methodNotImplemented(method: String)
    /// A `Transfer-Encoding` other than `chunked` (501).
    case transferEncodingNotImplemented(encoding: String)
    /// An HTTP version other than 1.0 or 1.1 (505).
    case versionNotSupported(version: String)
    /// An `Expect` value other than `100-continue` (417).
    case expectationNotSupported(value: String)
    /// The stream ended in the middle of a message (no response can be sent).
    case unexpectedEndOfStream

    /// Which side broke the protocol.
    public enum Fault: Sendable, Equatable {
        /// The peer sent something invalid or too large; answer `status` and close.
        case peer
        /// We cannot handle a valid message (for example an unimplemented feature).
        case local
    }

    /// The status to answer with.
    public var status: HTTPStatus {
        switch self {
        case .headerSectionTooLarge: return .headerFieldsTooLarge
        case .requestLineTooLong: return .uriTooLong
        case .bodyTooLarge: return .contentTooLarge
        case .malformed, .unexpectedEndOfStream: return .badRequest
        case .methodNotImplemented, .transferEncodingNotImplemented: return .notImplemented
        case .versionNotSupported: return .versionNotSupported
        case .expectationNotSupported: return .expectationFailed
        }
    }

    /// Who was at fault.
    public var fault: Fault {
        switch self {
        case .methodNotImplemented, .transferEncodingNotImplemented: return .local
        default: return .peer
        }
    }

    /// A stable snake_case name for logs and JSON error bodies.
    public var errorType: String {
        switch self {
        case .headerSectionTooLarge: return "header_section_too_large"
        case .requestLineTooLong: return "request_line_too_long"
        case .bodyTooLarge: return "body_too_large"
        case .malformed: return "malformed_request"
        case .methodNotImplemented: return "method_not_implemented"
        case .transferEncodingNotImplemented: return "transfer_encoding_not_implemented"
        case .versionNotSupported: return "http_version_not_supported"
        case .expectationNotSupported: return "expectation_not_supported"
        case .unexpectedEndOfStream: return "unexpected_end_of_stream"
        }
    }

    public var description: String {
        switch self {
        case .headerSectionTooLarge(let limit):
            return "the header section is larger than \(limit) bytes; send fewer or shorter header fields"
        case .requestLineTooLong(let limit):
            return "the request line is longer than \(limit) bytes; shorten the path or query"
        case .bodyTooLarge(let limit):
            return "the body is larger than \(limit) bytes; send a smaller body"
        case .malformed(let reason):
            return "malformed HTTP message: \(reason)"
        case .methodNotImplemented(let method):
            return "method '\(method)' is not implemented (use GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS)"
        case .transferEncodingNotImplemented(let encoding):
            return "transfer encoding '\(encoding)' is not implemented (only chunked is)"
        case .versionNotSupported(let version):
            return "'\(version)' is not supported; use HTTP/1.1 or HTTP/1.0"
        case .expectationNotSupported(let value):
            return "expectation '\(value)' is not supported (only 100-continue is)"
        case .unexpectedEndOfStream:
            return "the connection closed in the middle of a message"
        }
    }
}
