/// A streaming (pull) JSON decoder for hot paths: reads values in place without building a tree.
///
/// The caller walks the document in the order it expects, as with a hand-written `Decodable`:
///
/// ```swift
/// var reader = JSONReader(bytes)
/// try reader.beginObject()
/// while let key = try reader.nextKey() {
///     switch key {
///     case "ltp": ltp = try reader.readDouble()
///     default: try reader.skipValue()
///     }
/// }
/// try reader.end()
/// ```
///
/// It accepts exactly RFC 8259 (the same grammar as `JSONParser`), reads doubles correctly
/// rounded (exact round trip of anything `JSONOutput` writes), and reports errors with the byte
/// offset. Nesting deeper than `JSONParser.depthMax` is rejected by `skipValue`.
public struct JSONReader: Sendable {
    let bytes: [UInt8]
    /// The offset of the next unread byte.
    public internal(set) var offset: Int
    /// True right after `beginObject`/`beginArray`: the next member needs no comma.
    private var atContainerStart = false

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    func error(_ reason: String) -> JSONReadError { JSONReadError(reason: reason, offset: offset) }

    @inline(__always) mutating func skipWhitespace() {
        while offset < bytes.count {
            let byte = bytes[offset]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            offset += 1
        }
    }

    @inline(__always) mutating func peek() throws(JSONReadError) -> UInt8 {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input") }
        return bytes[offset]
    }

    /// Consumes `{`.
    public mutating func beginObject() throws(JSONReadError) {
        guard try peek() == UInt8(ascii: "{") else { throw error("expected '{'") }
        offset += 1
        atContainerStart = true
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(JSONReadError) {
        guard try peek() == UInt8(ascii: "[") else { throw error("expected '['") }
        offset += 1
        atContainerStart = true
    }

    /// The next member's key (its value is next to read), or nil after consuming the closing `}`.
    public mutating func nextKey() throws(JSONReadError) -> String? {
        guard try nextMember(closing: UInt8(ascii: "}")) else { return nil }
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
        let key = try readStringBody()
        guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        offset += 1
        return key
    }

    /// True if another array element follows (read it next), false after consuming the closing `]`.
    public mutating func nextElement() throws(JSONReadError) -> Bool {
        try nextMember(closing: UInt8(ascii: "]"))
    }

    private mutating func nextMember(closing: UInt8) throws(JSONReadError) -> Bool {
        let byte = try peek()
        if atContainerStart {
            atContainerStart = false
            if byte == closing {
                offset += 1
                return false
            }
            return true
        }
        if byte == UInt8(ascii: ",") {
            offset += 1
            if try peek() == closing { throw error("trailing comma before '\(UnicodeScalar(closing))'") }
            return true
        }
        guard byte == closing else { throw error("expected ',' or '\(UnicodeScalar(closing))'") }
        offset += 1
        return false
    }

    /// Checks that only whitespace follows the value just read.
    public mutating func end() throws(JSONReadError) {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected text after the JSON value") }
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONReadError) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "t"), matchLiteral("true") { return true }
        if byte == UInt8(ascii: "f"), matchLiteral("false") { return false }
        throw error("expected true or false")
    }

    /// Consumes `null` and returns true, or returns false leaving any other value unread.
    public mutating func readNull() throws(JSONReadError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        guard matchLiteral("null") else { throw error("invalid literal, expected 'null'") }
        return true
    }

    mutating func matchLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - offset >= count else { return false }
        let matches = word.withUTF8Buffer { literal in
            for index in 0..<count where bytes[offset + index] != literal[index] { return false }
            return true
        }
        if matches { offset += count }
        return matches
    }

    /// Reads a string value.
    public mutating func readString() throws(JSONReadError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        return try readStringBody()
    }

    /// Reads the string at `offset` (which is its opening quote).
    mutating func readStringBody() throws(JSONReadError) -> String {
        let start = offset + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                offset = index + 1
                let text = bytes.withUnsafeBufferPointer { all in
                    String(validating: UnsafeBufferPointer(rebasing: all[start..<index]), as: UTF8.self)
                }
                guard let text else {
                    offset = start
                    throw error("string is not valid UTF-8")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        // Escapes or an error: fall back to the strict tree parser's string grammar.
        return try readEscapedString(start: start)
    }

    private mutating func readEscapedString(start: Int) throws(JSONReadError) -> String {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") { end += 1 }
            end += 1
        }
        guard end < bytes.count else {
            offset = start
            throw error("unterminated string")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(bytes[(start - 1)...end]))
        } catch {
            throw JSONReadError(reason: error.reason, offset: start - 1 + error.offset)
        }
        guard case .string(let text) = value else { throw self.error("expected a string") }
        offset = end + 1
        return text
    }

    /// Skips one value of any type, validating it; nesting is bounded by `JSONParser.depthMax`.
    public mutating func skipValue() throws(JSONReadError) {
        var closers: [UInt8] = []
        while true {
            let byte = try peek()
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                guard closers.count < JSONParser.depthMax else {
                    throw error("nesting deeper than \(JSONParser.depthMax) levels")
                }
                offset += 1
                atContainerStart = true
                let closing = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if try nextMember(closing: closing) {
                    closers.append(closing)
                    if closing == UInt8(ascii: "}") { try skipKey() }
                    continue
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): _ = try readStringBody()
                case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
                case UInt8(ascii: "n"): _ = try readNull()
                default: _ = try readDouble()
                }
            }
            // A value finished: step to the next member, closing every container that ends here.
            while let closing = closers.last {
                if try nextMember(closing: closing) {
                    if closing == UInt8(ascii: "}") { try skipKey() }
                    break
                }
                closers.removeLast()
            }
            if closers.isEmpty { return }
        }
    }

    private mutating func skipKey() throws(JSONReadError) {
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
        _ = try readStringBody()
        guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        offset += 1
    }
}
