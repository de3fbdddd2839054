/// An error the API returns: an HTTP status, a stable `error_type` and a message for people.
///
/// Every route maps its failures here, in one place, so clients can switch on `error_type`.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// Stable machine-readable type, e.g. `rate_limited`, `not_found`.
    public var errorType: String
    public var message: String
    /// Extra response headers (`Retry-After`, `X-RateLimit-*`).
    public var headers: [HeaderField]

    public init(status: Int, errorType: String, message: String, headers: [HeaderField] = []) {
        self.status = status
        self.errorType = errorType
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, errorType: "bad_request", message: message)
    }

    public static func unauthenticated(_ message: String) -> APIError {
        APIError(status: 401, errorType: "unauthenticated", message: message,
                 headers: [HeaderField("WWW-Authenticate", "ApiKey header=\"X-API-Key\"")])
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(status: 403, errorType: "forbidden", message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: 404, errorType: "not_found", message: message)
    }

    /// 429 with `Retry-After` in whole seconds (rounded up) and the key's limit headers.
    public static func rateLimited(keyID: String, retryAfter: Duration, limit: Int64) -> APIError {
        let nanos = retryAfter.wholeNanoseconds
        let seconds = max(1, (nanos + 999_999_999) / 1_000_000_000)
        return APIError(
            status: 429, errorType: "rate_limited",
            message: "rate limit exceeded for key \(keyID); retry after \(seconds) s",
            headers: [
                HeaderField("Retry-After", String(seconds)), HeaderField("X-RateLimit-Limit", String(limit)),
                HeaderField("X-RateLimit-Remaining", "0"),
            ])
    }

    public static func unavailable(_ message: String) -> APIError {
        APIError(status: 503, errorType: "unavailable", message: message)
    }

    /// The response body: `{"error_type":…,"message":…}`.
    public var jsonBody: [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"error_type":"#.utf8)
        JSONWriter.appendString(errorType, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONWriter.appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    public var description: String { "\(status) \(errorType): \(message)" }
}
