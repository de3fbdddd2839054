/// A parsed JSON document. Objects keep their members in document order, so nothing about a
/// document depends on hashing, and duplicate keys can be reported instead of silently merged.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, with its source text kept so integers beyond 2⁵³ are not rounded.
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The member named `key` of an object, or nil (also nil for non-objects).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name for the value's type, for error messages: "a string", "an object", ….
    public var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON text for the value (members in stored order).
    public var jsonText: String {
        var out: [UInt8] = []
        append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func append(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number): out.append(contentsOf: number.text.utf8)
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.append(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.append(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// A JSON number as written in the source, with exact integer and nearest-double readings.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number's text exactly as it appeared (validated against RFC 8259's grammar).
    public let text: String

    public init(text: String) { self.text = text }

    /// The value as an `Int64` if the text is an integer literal in range, else nil.
    public var int64: Int64? { Int64(text) }

    /// The nearest double (correctly rounded by the standard library's parser).
    public var double: Double { Double(text) ?? .nan }

    public var description: String { text }
}
