import Platform

/// A property of a whole run, judged only from the event log.
public protocol InvariantChecker {
    /// Stable identifier used in summaries and reports, e.g. `log_time_monotone`.
    var id: String { get }
    /// Sees each event in log order.
    mutating func observe(_ event: LogEvent)
    /// The verdict after the last event.
    func result() -> InvariantResult
}

/// Whether an invariant held, and if not, the first place it broke.
public struct InvariantResult: Sendable, Equatable {
    public var id: String
    public var holds: Bool
    /// Number of events the checker judged.
    public var checked: Int
    /// For a violation: what broke, where (event number and instant), in a sentence.
    public var detail: String?

    public init(id: String, holds: Bool, checked: Int, detail: String? = nil) {
        self.id = id
        self.holds = holds
        self.checked = checked
        self.detail = detail
    }
}

/// The built-in checkers.
public enum InvariantCatalog {
    /// Checks every run gets, whatever its components.
    public static var kernel: [any InvariantChecker] { [LogTimeMonotone()] }
    /// Checks of the platform's guarantees, for runs with a collector.
    public static var platform: [any InvariantChecker] {
        kernel + [StoredExactlyOnce(), EveryRequestCompleted(), APINoServerErrors()]
    }
}

/// Log lines appear in non-decreasing virtual time: the scheduler never delivered out of order.
public struct LogTimeMonotone: InvariantChecker {
    public let id = "log_time_monotone"
    private var last: Instant?
    private var count = 0
    private var violation: String?

    public init() {}

    public mutating func observe(_ event: LogEvent) {
        count += 1
        if let last, event.time < last, violation == nil {
            violation = "event \(count) (\(event.component)/\(event.kind)) at \(event.time) is before the previous event at \(last)"
        }
        last = event.time
    }

    public func result() -> InvariantResult {
        InvariantResult(id: id, holds: violation == nil, checked: count, detail: violation)
    }
}
