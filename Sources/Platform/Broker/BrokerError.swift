/// Why a broker call failed, as the collector needs to act on it (retry, back off, log in again).
public enum BrokerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broker answered with an error envelope of this `error_type`.
    case api(kind: BrokerErrorKind, message: String, httpStatus: Int)
    /// HTTP 429: too many requests; wait `retryAfter` (from the header) or back off.
    case rateLimited(retryAfter: Duration?, message: String)
    /// The response could not be understood (bad JSON, wrong types, truncated, invalid UTF-8).
    case malformedResponse(reason: String, httpStatus: Int)
    /// The response's Content-Type is neither JSON nor CSV as the route requires.
    case unexpectedContentType(String?, httpStatus: Int)
    /// The local session passed its 06:00 IST expiry; no request was sent. Log in again.
    case sessionExpired(expiredAt: Instant)
    /// No session: call the session exchange first.
    case notLoggedIn
    /// The request was refused before sending: it breaks a documented limit.
    case invalidRequest(reason: String)
    /// No HTTP response arrived.
    case transport(TransportFailure)

    /// True when the only fix is a fresh login (expired, invalidated or missing session).
    public var requiresLogin: Bool {
        switch self {
        case .api(let kind, _, _): return kind == .token
        case .sessionExpired, .notLoggedIn: return true
        default: return false
        }
    }

    /// True when the same request may succeed later (rate limits, backend and network trouble).
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .transport, .malformedResponse: return true
        case .api(let kind, _, let status): return kind == .network || kind == .data || status >= 500
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .api(let kind, let message, let status):
            return "broker \(kind) (HTTP \(status)): \(message)"
        case .rateLimited(let retryAfter, let message):
            return "broker rate limit (HTTP 429): \(message); retry after \(retryAfter.map { "\($0)" } ?? "a backoff")"
        case .malformedResponse(let reason, let status):
            return "malformed broker response (HTTP \(status)): \(reason)"
        case .unexpectedContentType(let type, let status):
            return "unexpected broker Content-Type '\(type ?? "none")' (HTTP \(status))"
        case .sessionExpired(let at): return "broker session expired at \(at); log in again"
        case .notLoggedIn: return "no broker session; exchange a request token first"
        case .invalidRequest(let reason): return "broker request not sent: \(reason)"
        case .transport(let failure): return "broker unreachable: \(failure)"
        }
    }
}

/// Kite's `error_type` values; `unknown` keeps any name this client does not know.
public enum BrokerErrorKind: Sendable, Equatable, CustomStringConvertible {
    case token, permission, input, order, network, data, general, user, margin, holding
    case unknown(String)

    /// The kind named by an `error_type` string.
    public init(errorType: String) {
        switch errorType {
        case "TokenException": self = .token
        case "PermissionException": self = .permission
        case "InputException": self = .input
        case "OrderException": self = .order
        case "NetworkException": self = .network
        case "DataException": self = .data
        case "GeneralException": self = .general
        case "UserException": self = .user
        case "MarginException": self = .margin
        case "HoldingException": self = .holding
        default: self = .unknown(errorType)
        }
    }

    /// The `error_type` string.
    public var errorType: String {
        switch self {
        case .token: return "TokenException"
        case .permission: return "PermissionException"
        case .input: return "InputException"
        case .order: return "OrderException"
        case .network: return "NetworkException"
        case .data: return "DataException"
        case .general: return "GeneralException"
        case .user: return "UserException"
        case .margin: return "MarginException"
        case .holding: return "HoldingException"
        case .unknown(let name): return name
        }
    }

    public var description: String { errorType }
}
