/// Kite's `error_type` values, each with the HTTP status the real API answers with by default.
public enum KiteErrorType: String, Sendable, CaseIterable {
    /// Session expired or invalid, bad api_key/access_token, bad checksum (403).
    case token = "TokenException"
    /// Call not permitted for this key or user (403).
    case permission = "PermissionException"
    /// Missing or bad parameters, too many instruments (400).
    case input = "InputException"
    /// Order placement or fetch failure (500).
    case order = "OrderException"
    /// Backend unreachable (503); also rate limiting, with HTTP 429.
    case network = "NetworkException"
    /// The API could not understand the OMS response (502).
    case data = "DataException"
    /// Anything else (500).
    case general = "GeneralException"
    /// User account errors (403); not defined in the Python client, which falls back to General.
    case user = "UserException"
    /// Insufficient margin (400).
    case margin = "MarginException"
    /// Insufficient holdings (400).
    case holding = "HoldingException"

    /// The HTTP status the real API pairs with this type by default.
    public var defaultHTTPStatus: Int {
        switch self {
        case .token, .permission, .user: return 403
        case .input, .margin, .holding: return 400
        case .order, .general: return 500
        case .network: return 503
        case .data: return 502
        }
    }
}

/// An error answer: the envelope `{"status":"error","message":…,"error_type":…,"data":null}` and its HTTP status.
public struct KiteError: Error, Sendable, Equatable {
    public var type: KiteErrorType
    public var httpStatus: Int
    public var message: String
    /// Seconds to send as `Retry-After` (rate limiting only).
    public var retryAfterSeconds: Int?

    public init(_ type: KiteErrorType, _ message: String, httpStatus: Int? = nil, retryAfterSeconds: Int? = nil) {
        self.type = type
        self.httpStatus = httpStatus ?? type.defaultHTTPStatus
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The HTTP response carrying this error; always JSON, always with `error_type`.
    public var response: KiteHTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(96 + message.utf8.count)
        body.append(contentsOf: #"{"status":"error","message":"#.utf8)
        KiteJSON.appendString(message, to: &body)
        body.append(contentsOf: #","data":null,"error_type":"#.utf8)
        KiteJSON.appendString(type.rawValue, to: &body)
        body.append(0x7D)
        var response = KiteHTTPResponse.json(status: httpStatus, body: body)
        if let retryAfterSeconds { response.headers.append(KiteField("Retry-After", String(retryAfterSeconds))) }
        return response
    }

    static let invalidSession = KiteError(.token, "Incorrect `api_key` or `access_token`.")
    static let tooManyRequests = KiteError(.network, "Too many requests", httpStatus: 429)
    static func routeNotFound(_ method: String, _ path: String) -> KiteError {
        KiteError(.general, "Route not found: \(method) \(path)", httpStatus: 404)
    }
}

/// The success envelope `{"status":"success","data":…}` around already-encoded data.
public enum KiteEnvelope {
    /// Bytes that open a success envelope; append the data, then `close`.
    public static let open = Array(#"{"status":"success","data":"#.utf8)

    /// A 200 JSON response wrapping `data`, which must be valid JSON.
    public static func success(_ data: [UInt8]) -> KiteHTTPResponse {
        var body = open
        body.reserveCapacity(open.count + data.count + 1)
        body.append(contentsOf: data)
        body.append(0x7D)
        return .json(status: 200, body: body)
    }
}
