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
        if LogEvent.appendLineDirectly(self, to: &out) { return }
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

/// The event log's usual line, written through a raw pointer: no per-piece array appends.
extension LogEvent {
    /// Bytes `appendLineDirectly` writes at most; longer lines go the general way. With the
    /// printers' scratch room the buffer stays within the 1 KiB that temporary allocations take on the stack.
    static let directLineCapacity = 1000

    /// Appends `event.jsonLine`'s bytes in one copy after writing them into a stack buffer, and
    /// returns true; returns false, having appended nothing, when a string needs escaping, a field
    /// is a double, an instant's year is outside 0…9999 or the line might not fit.
    static func appendLineDirectly(_ event: LogEvent, to out: inout [UInt8]) -> Bool {
        // The fixed parts take at most 93 bytes with the quotes around component and kind.
        var bound = 128 + event.component.utf8.count + event.kind.utf8.count
        for (key, value) in event.fields {
            bound += key.utf8.count + 4
            switch value {
            case .int: bound += 20
            case .bool: bound += 5
            case .instant: bound += 48
            case .string(let text): bound += text.utf8.count + 2
            case .double: return false
            }
        }
        guard bound <= directLineCapacity else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: directLineCapacity + ByteWriter.overshoot) { buffer in
            let start = buffer.baseAddress!
            var p = put(#"{"t":"#, at: start)
            p = ByteWriter.putInteger(event.time.nanosecondsSinceEpoch, at: p)
            p = put(#","at":""#, at: p)
            guard let afterTime = putInstant(event.time, at: p) else { return false }
            p = put(#"","component":"#, at: afterTime)
            guard let afterComponent = putString(event.component, at: p) else { return false }
            p = put(#","kind":"#, at: afterComponent)
            guard let afterKind = putString(event.kind, at: p) else { return false }
            p = afterKind
            for (key, value) in event.fields {
                p.pointee = UInt8(ascii: ",")
                guard let afterKey = putString(key, at: p + 1) else { return false }
                afterKey.pointee = UInt8(ascii: ":")
                p = afterKey + 1
                switch value {
                case .int(let number): p = ByteWriter.putInteger(number, at: p)
                case .bool(let flag): p = flag ? put("true", at: p) : put("false", at: p)
                case .string(let text):
                    guard let after = putString(text, at: p) else { return false }
                    p = after
                case .instant(let instant):
                    p.pointee = UInt8(ascii: "\"")
                    guard let after = putInstant(instant, at: p + 1) else { return false }
                    after.pointee = UInt8(ascii: "\"")
                    p = after + 1
                case .double: return false
                }
            }
            p = put("}\n", at: p)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: p - start))
            return true
        }
    }

    @inline(__always)
    private static func put(_ text: StaticString, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return p + text.utf8CodeUnitCount
    }

    /// `"text"`, or nil when a byte needs escaping.
    private static func putString(_ text: String, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        // Read in place (no copy of the string to make it mutable for `withUTF8`); a string without
        // contiguous UTF-8 (a bridged one) is copied first.
        if let put = text.utf8.withContiguousStorageIfAvailable({ putBytes($0, at: p) }) { return put }
        var text = text
        return text.withUTF8 { putBytes($0, at: p) }
    }

    /// `"bytes"`, or nil when a byte needs escaping.
    @inline(__always)
    private static func putBytes(_ bytes: UnsafeBufferPointer<UInt8>, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        p.pointee = UInt8(ascii: "\"")
        var q = p + 1
        for byte in bytes {
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return nil }
            q.pointee = byte
            q += 1
        }
        q.pointee = UInt8(ascii: "\"")
        return q + 1
    }

    /// `ISO8601.append`'s bytes (at most 35), or nil when the year is outside 0…9999.
    private static func putInstant(_ instant: Instant, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        let local = instant.nanosecondsSinceEpoch + ISO8601.istOffsetSeconds * 1_000_000_000
        let nanos = local.floorModulo(1_000_000_000)
        let seconds = local.floorDivided(by: 1_000_000_000)
        let date = CivilDate(daysSinceEpoch: seconds.floorDivided(by: 86_400))
        guard (0...9999).contains(date.year) else { return nil }
        var writer = ByteWriter(base: start)
        writer.date(date)
        writer.byte(UInt8(ascii: "T"))
        writer.clock(secondOfDay: Int(seconds.floorModulo(86_400)), nanos: nanos)
        return put("+05:30", at: start + writer.count)
    }
}
