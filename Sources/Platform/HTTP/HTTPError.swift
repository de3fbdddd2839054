/// An error a handler throws to answer with a specific status and a JSON error body.
///
/// The router turns it into `{"error": message, "error_type": type}` with `status`; any other
/// thrown error becomes a 500 whose body does not leak the error's text.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    /// A stable snake_case identifier clients can switch on.
    public var type: String
    /// A sentence saying what was wrong and what to do.
    public var message: String

    public init(_ status: HTTPStatus, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// The JSON error response for this error.
    public var response: HTTPResponse { .error(status, type: type, message: message) }
}
