/// A request as the API sees it: already parsed by the HTTP layer, independent of sockets.
public struct APIRequest: Sendable, Equatable {
    public var method: String
    /// Path without the query, percent-decoded, e.g. `/v1/chain/NIFTY`.
    public var path: String
    public var query: [QueryItem]
    public var headers: [HeaderField]

    public init(method: String, path: String, query: [QueryItem] = [], headers: [HeaderField] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// The first header named `name` (ASCII case-insensitive, as HTTP field names are).
    public func header(_ name: String) -> String? {
        headers.first { Self.sameFieldName($0.name, name) }?.value
    }

    /// Whether two field names are equal ignoring ASCII case, without allocating.
    static func sameFieldName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) }
    }

    /// The last value of query parameter `name`.
    public func queryValue(_ name: String) -> String? { query.last { $0.name == name }?.value }
}

/// A response from the API: status, headers and body bytes.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HeaderField]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [HeaderField] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response (`application/json; charset=utf-8`).
    public static func json(_ body: [UInt8], status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [HeaderField("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    /// A response with an explicit content type.
    public static func text(_ body: String, contentType: String, status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [HeaderField("Content-Type", contentType)], body: Array(body.utf8))
    }

    /// The JSON error body and headers for `error`.
    public static func error(_ error: APIError) -> APIResponse {
        var response = APIResponse.json(error.jsonBody, status: error.status)
        response.headers += error.headers
        return response
    }
}

/// One documented parameter of a route.
public struct APIParameter: Sendable, Equatable {
    public enum Location: String, Sendable { case path, query, header }
    public var name: String
    public var location: Location
    public var required: Bool
    /// JSON Schema type: `string`, `integer`, `number`, `boolean`.
    public var type: String
    public var description: String
    /// Allowed values, when the set is closed.
    public var allowed: [String]
    /// JSON Schema `format` (e.g. `date`, `date-time`), if any.
    public var format: String?
    /// Numeric bounds, when the parameter is a number.
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?

    public init(
        _ name: String, in location: Location, required: Bool = false, type: String = "string",
        description: String, allowed: [String] = [], format: String? = nil, minimum: Double? = nil,
        maximum: Double? = nil, exclusiveMinimum: Double? = nil
    ) {
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.name = name
        self.location = location
        self.required = required || location == .path
        self.type = type
        self.description = description
        self.allowed = allowed
        self.format = format
    }
}

/// One route: method, path template (`/v1/chain/{index}`), scope, documentation and handler.
public struct APIRoute: Sendable {
    public typealias Handler = @Sendable (APIRequest, _ pathParameters: [String: String], _ now: Instant) throws(APIError) -> APIResponse

    public var method: String
    public var template: String { didSet { pattern = Self.pattern(of: template) } }
    /// The template's segments, split once: literals, and parameter names for `{name}`.
    private(set) var pattern: [Segment]
    /// Scope required, or nil for public routes (health, docs).
    public var scope: APIScope?
    public var operationID: String
    public var summary: String
    public var parameters: [APIParameter]
    /// Name of the response schema in the OpenAPI components, and a JSON example of the body.
    public var responseSchema: String
    /// Content type of a success response.
    public var contentType: String
    /// Error statuses this route can answer with, beyond the common ones.
    public var errorStatuses: [Int]
    public var handler: Handler

    public init(
        _ method: String, _ template: String, scope: APIScope?, operationID: String, summary: String,
        parameters: [APIParameter] = [], responseSchema: String, contentType: String = "application/json",
        errorStatuses: [Int] = [], handler: @escaping Handler
    ) {
        self.method = method
        self.template = template
        self.pattern = Self.pattern(of: template)
        self.scope = scope
        self.operationID = operationID
        self.summary = summary
        self.parameters = parameters
        self.responseSchema = responseSchema
        self.contentType = contentType
        self.errorStatuses = errorStatuses
        self.handler = handler
    }

    /// One segment of a path template.
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    static func pattern(of template: String) -> [Segment] {
        template.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? .parameter(String(segment.dropFirst().dropLast())) : .literal(String(segment))
        }
    }

    /// A request path's non-empty segments, split on the UTF-8 bytes (once per request, not per route).
    static func pathSegments(_ path: String) -> [Substring] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { Substring($0) }
    }

    /// Matches `path` against the template, returning the path parameters, or nil.
    func match(_ path: String) -> [String: String]? { match(segments: Self.pathSegments(path)) }

    /// Matches a path already split by `pathSegments`; literals are compared byte for byte.
    func match(segments parts: [Substring]) -> [String: String]? {
        guard parts.count == pattern.count else { return nil }
        for (part, segment) in zip(parts, pattern) {
            if case .literal(let literal) = segment, !part.utf8.elementsEqual(literal.utf8) { return nil }
        }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(parts, pattern) {
            if case .parameter(let name) = segment { parameters[name] = String(part) }
        }
        return parameters
    }
}
