import Platform

/// Why a scenario file was rejected; every case names the file, and the key path where it can.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalidJSON(file: String, JSONParseError)
    case missingKey(file: String, keyPath: String, expected: String)
    case wrongType(file: String, keyPath: String, expected: String, found: String)
    case invalidValue(file: String, keyPath: String, expected: String, found: String)
    case unknownKey(file: String, keyPath: String, allowed: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the scenario: \(reason)"
        case .invalidJSON(let file, let error):
            return "\(file): \(error)"
        case .missingKey(let file, let keyPath, let expected):
            return "\(file): missing key '\(keyPath)': expected \(expected)"
        case .wrongType(let file, let keyPath, let expected, let found):
            return "\(file): wrong type at '\(keyPath)': expected \(expected), found \(found)"
        case .invalidValue(let file, let keyPath, let expected, let found):
            return "\(file): invalid value at '\(keyPath)': expected \(expected), found \(found)"
        case .unknownKey(let file, let keyPath, let allowed):
            return "\(file): unknown key '\(keyPath)': allowed keys here are \(allowed.joined(separator: ", "))"
        }
    }

    /// The key path the error points at, if it has one.
    public var keyPath: String? {
        switch self {
        case .unreadable, .invalidJSON: return nil
        case .missingKey(_, let keyPath, _), .wrongType(_, let keyPath, _, _),
            .invalidValue(_, let keyPath, _, _), .unknownKey(_, let keyPath, _):
            return keyPath
        }
    }
}
