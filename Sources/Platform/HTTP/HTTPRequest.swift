/// One complete HTTP request as parsed: method, target, headers and the whole body.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request-target exactly as sent (origin form: `/path?query`).
    public var target: String
    /// The path part of the target, percent-decoded (`/a%20b` → `/a b`).
    public var path: String
    /// The query part of the target without the `?`, still percent-encoded ("" if none).
    public var query: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The body, de-chunked; empty when none was sent.
    public var body: [UInt8]
    /// Whether the connection stays open after the response (HTTP/1.1 default, `Connection` header).
    public var keepAlive: Bool

    /// A request built in code (for clients and tests); `path` and `query` are split from `target`.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http11,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? target
        self.path = PercentDecoding.decode(rawPath, plusIsSpace: false) ?? rawPath
        self.query = parts.count > 1 ? String(parts[1]) : ""
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    init(
        method: HTTPMethod, target: String, path: String, query: String, version: HTTPVersion,
        headers: HTTPHeaders, keepAlive: Bool
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = []
        self.keepAlive = keepAlive
    }

    /// The query's `name=value` pairs in order, `+` read as space and percent-decoded.
    ///
    /// Pairs whose escapes are invalid are skipped rather than guessed at.
    public var queryItems: [(name: String, value: String)] {
        guard !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusIsSpace: true),
                let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else { continue }
            items.append((name: name, value: value))
        }
        return items
    }

    /// The first query value named `name`, decoded, or nil.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.path == rhs.path
            && lhs.query == rhs.query && lhs.version == rhs.version && lhs.headers == rhs.headers
            && lhs.body == rhs.body && lhs.keepAlive == rhs.keepAlive
    }
}

/// Percent-decoding of URL components (RFC 3986 §2.1), rejecting bad escapes and invalid UTF-8.
public enum PercentDecoding {
    /// The decoded text, or nil if an escape is malformed or the result is not UTF-8.
    public static func decode<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == 0x25 || (plusIsSpace && $0 == 0x2B) }) { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
                else { return nil }
                out.append(high << 4 | low)
            } else if plusIsSpace && byte == 0x2B {
                out.append(0x20)
            } else {
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
