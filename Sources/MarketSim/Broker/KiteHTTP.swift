/// An HTTP request as the mock broker receives it: already framed and percent-decoded.
///
/// MarketSim's own twin of Platform's `BrokerRequest`; the harness maps one to the other.
public struct KiteHTTPRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// Path without the query, e.g. `/quote`.
    public var path: String
    /// Query parameters in order, percent-decoded; repeated keys (`i=…&i=…`) are kept.
    public var query: [KiteField]
    /// Header fields in order; names compare case-insensitively.
    public var headers: [KiteField]
    /// Body bytes (form-encoded for Kite's POSTs).
    public var body: [UInt8]

    public init(
        method: String, path: String, query: [KiteField] = [], headers: [KiteField] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The first query parameter named `name`, or nil.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
}

/// An HTTP response from the mock broker, with the delay before the client should see it.
public struct KiteHTTPResponse: Sendable, Equatable {
    /// HTTP status, e.g. 200, 403, 429.
    public var status: Int
    /// Header fields; `Content-Type` is always present.
    public var headers: [KiteField]
    public var body: [UInt8]
    /// Simulated server latency in nanoseconds: deliver the response this long after the request.
    public var latencyNanoseconds: Int64

    public init(status: Int, headers: [KiteField], body: [UInt8], latencyNanoseconds: Int64 = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.latencyNanoseconds = latencyNanoseconds
    }

    /// The first header named `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// A JSON response with `Content-Type: application/json`.
    public static func json(status: Int, body: [UInt8]) -> KiteHTTPResponse {
        KiteHTTPResponse(status: status, headers: [KiteField("Content-Type", "application/json")], body: body)
    }
}

/// One name/value pair: a header field or a query/form parameter.
public struct KiteField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Decoding of `application/x-www-form-urlencoded` bodies (`a=1&b=x%3Ay+z`).
public enum KiteForm {
    /// The fields of a form body in order; `+` is a space and `%XX` a byte. Malformed escapes are kept literally.
    public static func decode(_ body: [UInt8]) -> [KiteField] {
        var fields: [KiteField] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            fields.append(KiteField(name, value))
        }
        return fields
    }

    /// Percent-decodes one component, treating `+` as a space.
    public static func percentDecode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
                continue
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
