/// A client → server ticker message: `{"a":"subscribe"|"unsubscribe"|"mode","v":…}`.
public enum KiteTickerRequest: Sendable, Equatable {
    case subscribe([UInt32])
    case unsubscribe([UInt32])
    case mode(KiteTickMode, [UInt32])

    /// Reads one text message; tokens that are not JSON integers are ignored, as Kite does.
    public static func parse(_ text: [UInt8]) -> Result<KiteTickerRequest, KiteTickerMessageError> {
        var reader = KiteMiniJSON(bytes: text)
        guard let value = reader.document(), case .object(let members) = value else {
            return .failure(.notJSON)
        }
        guard case .string(let action)? = members.first(where: { $0.0 == "a" })?.1 else { return .failure(.missingAction) }
        let argument = members.first { $0.0 == "v" }?.1
        func tokens(_ value: KiteMiniJSON.Value?) -> [UInt32]? {
            guard case .array(let items)? = value else { return nil }
            return items.compactMap { item in
                if case .integer(let number) = item { return UInt32(exactly: number) }
                return nil
            }
        }
        switch action {
        case "subscribe":
            guard let list = tokens(argument) else { return .failure(.badValue(action)) }
            return .success(.subscribe(list))
        case "unsubscribe":
            guard let list = tokens(argument) else { return .failure(.badValue(action)) }
            return .success(.unsubscribe(list))
        case "mode":
            guard case .array(let pair)? = argument, pair.count == 2, case .string(let name) = pair[0],
                let mode = KiteTickMode(rawValue: name), let list = tokens(pair[1])
            else { return .failure(.badValue(action)) }
            return .success(.mode(mode, list))
        default:
            return .failure(.unknownAction(action))
        }
    }

    /// The JSON text the official clients send for this request.
    public var text: String {
        func list(_ tokens: [UInt32]) -> String { "[" + tokens.map(String.init).joined(separator: ",") + "]" }
        switch self {
        case .subscribe(let tokens): return #"{"a":"subscribe","v":\#(list(tokens))}"#
        case .unsubscribe(let tokens): return #"{"a":"unsubscribe","v":\#(list(tokens))}"#
        case .mode(let mode, let tokens): return #"{"a":"mode","v":["\#(mode.rawValue)",\#(list(tokens))]}"#
        }
    }
}

/// Why a ticker text message was not understood.
public enum KiteTickerMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case notJSON
    case missingAction
    case unknownAction(String)
    case badValue(String)

    public var description: String {
        switch self {
        case .notJSON: return "message is not a JSON object"
        case .missingAction: return "message has no string `a` (action)"
        case .unknownAction(let action): return "unknown action '\(action)': expected subscribe, unsubscribe or mode"
        case .badValue(let action): return "bad `v` for '\(action)': expected [tokens] or [mode, [tokens]]"
        }
    }
}

/// Server → client JSON text messages.
public enum KiteTickerText {
    /// `{"type":"error","data":"…"}`, surfaced by clients through `on_error`.
    public static func error(_ message: String) -> [UInt8] { typed("error", message) }

    /// `{"type":"message","data":"…"}`: broker notices (clients ignore them).
    public static func message(_ message: String) -> [UInt8] { typed("message", message) }

    /// `{"type":"order","data":{…}}` with `orderJSON` already encoded.
    public static func order(_ orderJSON: [UInt8]) -> [UInt8] {
        Array(#"{"type":"order","data":"#.utf8) + orderJSON + [0x7D]
    }

    static func typed(_ type: String, _ data: String) -> [UInt8] {
        var out = Array(#"{"type":"#.utf8)
        KiteJSON.appendString(type, to: &out)
        out.append(contentsOf: #","data":"#.utf8)
        KiteJSON.appendString(data, to: &out)
        out.append(0x7D)
        return out
    }
}

/// A tiny JSON reader for ticker control messages (objects, arrays, strings, integers, literals).
struct KiteMiniJSON {
    indirect enum Value: Equatable {
        case null, bool(Bool), integer(Int64), number, string(String), array([Value]), object([(String, Value)])
        static func == (lhs: Value, rhs: Value) -> Bool { String(describing: lhs) == String(describing: rhs) }
    }

    let bytes: [UInt8]
    var index = 0
    static let depthMax = 16
    static let itemsMax = 10_000

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> Value? {
        guard let value = self.value(depth: 0) else { return nil }
        skip()
        return index == bytes.count ? value : nil
    }

    mutating func skip() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) -> Value? {
        skip()
        guard index < bytes.count, depth < KiteMiniJSON.depthMax else { return nil }
        switch bytes[index] {
        case 0x7B:
            index += 1
            var members: [(String, Value)] = []
            skip()
            if index < bytes.count, bytes[index] == 0x7D { index += 1; return .object(members) }
            while members.count < KiteMiniJSON.itemsMax {
                skip()
                guard case .string(let key)? = value(depth: depth + 1) else { return nil }
                skip()
                guard index < bytes.count, bytes[index] == 0x3A else { return nil }
                index += 1
                guard let item = value(depth: depth + 1) else { return nil }
                members.append((key, item))
                skip()
                guard index < bytes.count else { return nil }
                index += 1
                if bytes[index - 1] == 0x7D { return .object(members) }
                if bytes[index - 1] != 0x2C { return nil }
            }
            return nil
        case 0x5B:
            index += 1
            var items: [Value] = []
            skip()
            if index < bytes.count, bytes[index] == 0x5D { index += 1; return .array(items) }
            while items.count < KiteMiniJSON.itemsMax {
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                skip()
                guard index < bytes.count else { return nil }
                index += 1
                if bytes[index - 1] == 0x5D { return .array(items) }
                if bytes[index - 1] != 0x2C { return nil }
            }
            return nil
        case 0x22:
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != 0x22 {
                if bytes[index] == 0x5C { index += 1 }
                index += 1
            }
            guard index < bytes.count else { return nil }
            index += 1
            return .string(String(decoding: bytes[start..<index - 1], as: UTF8.self))
        case 0x74: return literal("true", .bool(true))
        case 0x66: return literal("false", .bool(false))
        case 0x6E: return literal("null", .null)
        default:
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) || [0x2D, 0x2B, 0x2E, 0x65, 0x45].contains(bytes[index]) {
                index += 1
            }
            guard index > start else { return nil }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text) != nil ? .number : nil
        }
    }

    mutating func literal(_ word: String, _ value: Value) -> Value? {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else { return nil }
        index += expected.count
        return value
    }
}
