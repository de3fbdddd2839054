import Platform

/// Reads one JSON object of a scenario, tracking the key path so every error says where it is.
///
/// Each `required`/`optional` call marks its key as known; `finish()` rejects any key left over,
/// so a typo such as `"sede"` is an error rather than a silently ignored setting.
public struct ScenarioReader {
    public let file: String
    public let path: String
    private let members: [(key: String, value: JSONValue)]
    private var consumed: [String] = []

    /// Wraps `value`, which must be an object.
    public init(file: String, path: String, value: JSONValue) throws(ScenarioError) {
        guard case .object(let members) = value else {
            throw .wrongType(file: file, keyPath: path.isEmpty ? "(root)" : path, expected: "an object",
                             found: value.typeDescription)
        }
        self.file = file
        self.path = path
        self.members = members
        var seen: [String] = []
        for member in members {
            if seen.contains(member.key) {
                throw .invalidValue(file: file, keyPath: keyPath(member.key), expected: "each key once",
                                    found: "a duplicate key")
            }
            seen.append(member.key)
        }
    }

    /// `path.key`, or `key` at the root.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value at `key`, or an error naming what was expected.
    public mutating func required(_ key: String, expected: String) throws(ScenarioError) -> JSONValue {
        guard let value = try optional(key) else {
            throw .missingKey(file: file, keyPath: keyPath(key), expected: expected)
        }
        return value
    }

    /// The raw value at `key`, or nil when absent.
    public mutating func optional(_ key: String) throws(ScenarioError) -> JSONValue? {
        consumed.append(key)
        return members.first { $0.key == key }?.value
    }

    /// Rejects keys that no `required`/`optional` call asked for.
    public func finish() throws(ScenarioError) {
        for member in members where !consumed.contains(member.key) {
            throw .unknownKey(file: file, keyPath: keyPath(member.key), allowed: consumed)
        }
    }

    // MARK: typed accessors

    public func string(_ value: JSONValue, at key: String) throws(ScenarioError) -> String {
        guard case .string(let text) = value else {
            throw .wrongType(file: file, keyPath: keyPath(key), expected: "a string", found: value.typeDescription)
        }
        return text
    }

    public func integer(_ value: JSONValue, at key: String, in range: ClosedRange<Int64>) throws(ScenarioError) -> Int64 {
        guard case .number(let number) = value else {
            throw .wrongType(file: file, keyPath: keyPath(key), expected: "an integer", found: value.typeDescription)
        }
        guard let integer = number.int64 else {
            throw .invalidValue(file: file, keyPath: keyPath(key), expected: "an integer", found: number.text)
        }
        guard range.contains(integer) else {
            throw .invalidValue(file: file, keyPath: keyPath(key),
                                expected: "an integer in \(range.lowerBound)...\(range.upperBound)", found: number.text)
        }
        return integer
    }

    /// A seed: a non-negative integer below 2⁶⁴, written as a JSON number.
    public func seed(_ value: JSONValue, at key: String) throws(ScenarioError) -> UInt64 {
        guard case .number(let number) = value else {
            throw .wrongType(file: file, keyPath: keyPath(key), expected: "a non-negative integer", found: value.typeDescription)
        }
        guard let seed = UInt64(number.text) else {
            throw .invalidValue(file: file, keyPath: keyPath(key),
                                expected: "an integer in 0...18446744073709551615", found: number.text)
        }
        return seed
    }

    public func array(_ value: JSONValue, at key: String) throws(ScenarioError) -> [JSONValue] {
        guard case .array(let items) = value else {
            throw .wrongType(file: file, keyPath: keyPath(key), expected: "an array", found: value.typeDescription)
        }
        return items
    }

    /// A reader for the nested object at `key`.
    public func object(_ value: JSONValue, at key: String) throws(ScenarioError) -> ScenarioReader {
        try ScenarioReader(file: file, path: keyPath(key), value: value)
    }
}
