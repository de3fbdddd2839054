import Platform

/// The API never answers a simulated client with a server error (5xx other than 503, which means
/// "no data yet" and is allowed before the first snapshot).
public struct APINoServerErrors: InvariantChecker {
    public let id = "api_no_server_errors"
    private var checked = 0
    private var violation: String?

    public init() {}

    public mutating func observe(_ event: LogEvent) {
        guard event.component == "collector", event.kind == "api" else { return }
        checked += 1
        guard violation == nil, let status = event.fields.first(where: { $0.0 == "status" }), case .int(let code) = status.1,
              code >= 500, code != 503
        else { return }
        let path = event.fields.first { $0.0 == "path" }.map { "\($0.1)" } ?? "?"
        violation = "API answered \(code) to \(path) at \(event.time)"
    }

    public func result() -> InvariantResult {
        InvariantResult(id: id, holds: violation == nil, checked: checked, detail: violation)
    }
}
