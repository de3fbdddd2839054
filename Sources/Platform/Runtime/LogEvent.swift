/// One line of the event log: an effect that crossed a port, at a virtual instant.
///
/// The log is the spine of the harness: invariants, reports and replays read it, and the run
/// digest is a hash of its bytes. Field order is the order given, so a line's bytes are stable.
public struct LogEvent: Sendable, Equatable {
    /// When the effect happened (virtual time in simulation).
    public var time: Instant
    /// Which component produced it, e.g. `collector`, `broker`, `store`.
    public var component: String
    /// What happened, e.g. `request`, `response`, `fsync`, `beat`.
    public var kind: String
    /// Details, in a fixed order chosen by the component.
    public var fields: [(String, LogValue)]

    public init(time: Instant, component: String, kind: String, fields: [(String, LogValue)] = []) {
        self.time = time
        self.component = component
        self.kind = kind
        self.fields = fields
    }

    public static func == (lhs: LogEvent, rhs: LogEvent) -> Bool {
        lhs.time == rhs.time && lhs.component == rhs.component && lhs.kind == rhs.kind
            && lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// The event as one JSON object followed by a newline, keys in the order
    /// `t` (nanoseconds since the epoch), `at` (ISO 8601, IST), `component`, `kind`, then fields.
    public func jsonLine(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"t":"#.utf8)
        out.append(contentsOf: String(time.nanosecondsSinceEpoch).utf8)
        out.append(contentsOf: #","at":""#.utf8)
        out.append(contentsOf: time.description.utf8)
        out.append(contentsOf: #"","component":"#.utf8)
        JSONWriter.appendString(component, to: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        JSONWriter.appendString(kind, to: &out)
        for (key, value) in fields {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            value.appendJSON(to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}

/// A value in a log line. Doubles print in Swift's shortest round-trip form, which depends only
/// on the bits, so equal values give equal bytes on every machine.
public enum LogValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case instant(Instant)

    func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value): JSONWriter.appendNumber(value, to: &out)
        case .string(let value): JSONWriter.appendString(value, to: &out)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .instant(let value): JSONWriter.appendString(value.description, to: &out)
        }
    }
}

/// The event-sink port: where components' effects are recorded.
public protocol EventSink {
    /// Records one event; sinks keep events in the order they are recorded.
    mutating func record(_ event: LogEvent)
}
