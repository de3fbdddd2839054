import Platform

/// A participant in the simulated world: a state machine fed inputs, returning effects.
///
/// Components never read a clock or draw unseeded randomness; the world hands them the current
/// virtual instant with every input, and their timers and log lines go out as effects.
public protocol SimComponent {
    /// Stable name used in the event log (`heartbeat`, `collector`, `broker`).
    var name: String { get }
    /// Called once when the run begins, at the scenario's start instant.
    mutating func start(at now: Instant) -> [WorldEffect]
    /// Called for each input addressed to this component.
    mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect]
}

/// What the world delivers to a component.
public enum WorldInput: Sendable, Equatable {
    /// A timer the component scheduled with `tag` has fired.
    case timer(tag: UInt64)
    /// A request for the broker, sent by the component named `from` (delivered to the link).
    case brokerRequest(from: String, id: RequestID, request: BrokerRequest, deadline: Instant)
    /// The outcome of a broker request this component sent.
    case brokerCompleted(id: RequestID, result: BrokerResult)
    /// A request to the platform's API, from the component named `from` (delivered to `collector`).
    case apiRequest(from: String, id: UInt64, request: APIRequest)
    /// The API's answer to request `id`.
    case apiResponse(id: UInt64, response: APIResponse)
    /// A ticker command from the collector (delivered to the `ticker` link).
    case tickerCommand(TickerCommand)
    /// Something that happened on a ticker connection (delivered to the collector).
    case tickerEvent(TickerEvent)
}

/// A broker response, or the transport failure that stood in for one.
public typealias BrokerResult = Result<BrokerResponse, TransportFailure>

/// What a component asks the world to do.
public enum WorldEffect: Sendable, Equatable {
    /// Deliver `.timer(tag:)` back to this component at `at` (no earlier than now).
    case scheduleTimer(tag: UInt64, at: Instant)
    /// Cancel the pending timer with `tag`, if any.
    case cancelTimer(tag: UInt64)
    /// Append a line to the event log, stamped with the current instant and this component.
    case log(kind: String, fields: [LogField])
    /// Deliver `input` to the component named `to` at `at` (no earlier than now). Messages are not
    /// cancellable; two for the same instant arrive in the order they were sent.
    case deliver(to: String, input: WorldInput, at: Instant)
}

/// One field of a log line: a key and its value.
public struct LogField: Sendable, Equatable {
    public var key: String
    public var value: LogValue
    public init(_ key: String, _ value: LogValue) {
        self.key = key
        self.value = value
    }
}
