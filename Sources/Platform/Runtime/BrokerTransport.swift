/// An HTTP request to the broker, as the platform's broker client builds it.
///
/// Plain values with no I/O: in simulation the world hands them to the mock broker in memory
/// (through fault injectors); live, the HTTP client writes them to a socket.
public struct BrokerRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// Path without the query, e.g. `/quote`.
    public var path: String
    /// Query parameters in order; repeated keys (`i=…&i=…`) are kept.
    public var query: [QueryItem]
    /// Header fields in order, names as given (compared case-insensitively).
    public var headers: [HeaderField]
    /// Request body (form-encoded for Kite's POSTs), empty for GET.
    public var body: [UInt8]

    public init(method: String, path: String, query: [QueryItem] = [], headers: [HeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response from the broker.
public struct BrokerResponse: Sendable, Equatable {
    /// HTTP status code, e.g. 200, 429.
    public var status: Int
    public var headers: [HeaderField]
    public var body: [UInt8]

    public init(status: Int, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One `key=value` query parameter, already percent-decoded.
public struct QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One header field.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Identifies one request in flight, so its completion can be matched to it.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: RequestID, rhs: RequestID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "req#\(rawValue)" }
}

/// Why a request got no HTTP response: the failures a network can produce.
public enum TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the deadline.
    case timeout(afterMilliseconds: Int64)
    /// The connection could not be opened.
    case connectionRefused
    /// The peer reset or closed the connection before a complete response.
    case connectionReset
    /// Bytes arrived that are not a valid HTTP response.
    case malformedResponse(reason: String)

    public var description: String {
        switch self {
        case .timeout(let ms): return "no response within \(ms) ms"
        case .connectionRefused: return "connection refused"
        case .connectionReset: return "connection reset before a complete response"
        case .malformedResponse(let reason): return "malformed HTTP response: \(reason)"
        }
    }
}

/// The broker-transport port: send a request; its completion comes back later as an input.
///
/// Components never block on the network. They emit a request with an ID; the simulation or the
/// live loop delivers `Result<BrokerResponse, TransportFailure>` for that ID when it completes.
public protocol BrokerTransport {
    /// Starts sending `request`; the result is delivered later, tagged with `id`.
    mutating func send(_ request: BrokerRequest, id: RequestID, deadline: Instant)
}
