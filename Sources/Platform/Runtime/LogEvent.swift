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
        LogEvent.appendLiteral(#"{"t":"#, to: &out)
        LogEvent.appendInteger(time.nanosecondsSinceEpoch, to: &out)
        LogEvent.appendLiteral(#","at":""#, to: &out)
        ISO8601.append(time, to: &out)
        LogEvent.appendLiteral(#"","component":"#, to: &out)
        LogEvent.appendString(component, to: &out)
        LogEvent.appendLiteral(#","kind":"#, to: &out)
        LogEvent.appendString(kind, to: &out)
        for (key, value) in fields {
            out.append(UInt8(ascii: ","))
            LogEvent.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            value.appendJSON(to: &out)
        }
        LogEvent.appendLiteral("}\n", to: &out)
    }

    /// Appends a literal's bytes in one copy.
    @inline(__always)
    static func appendLiteral(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `StoreCSV.appendInteger`'s bytes, printed eight digits at a time and appended in one copy.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let start = buffer.baseAddress!
            let end = ByteWriter.putInteger(value, at: start)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    /// `JSONWriter.appendString`, copying the bytes whole when none needs escaping (the usual case).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain != true { JSONWriter.appendString(text, to: &out) }
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
        case .int(let value): LogEvent.appendInteger(value, to: &out)
        case .double(let value): JSONWriter.appendNumber(value, to: &out)
        case .string(let value): LogEvent.appendString(value, to: &out)
        case .bool(let value): LogEvent.appendLiteral(value ? "true" : "false", to: &out)
        case .instant(let value):
            // A formatted instant has nothing to escape.
            out.append(UInt8(ascii: "\""))
            ISO8601.append(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }
}

/// The event-sink port: where components' effects are recorded.
public protocol EventSink {
    /// Records one event; sinks keep events in the order they are recorded.
    mutating func record(_ event: LogEvent)
}
