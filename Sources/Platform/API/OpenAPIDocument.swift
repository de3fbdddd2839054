/// Builds the OpenAPI 3.1 document from the route table, so the spec and the server cannot drift.
///
/// Each route contributes its path, method, parameters, security and responses; response bodies
/// reference schemas by name from `schemas`, which also holds the shared `Error` schema.
public enum OpenAPIDocument {
    /// JSON Schema of the error body every route can return.
    public static let errorSchema = #"{"type":"object","required":["error_type","message"],"properties":{"error_type":{"type":"string","description":"Stable machine-readable error type, e.g. rate_limited, not_found, unauthenticated."},"message":{"type":"string","description":"What went wrong, for people."}}}"#

    static let statusDescriptions: [Int: String] = [
        200: "OK", 204: "No content", 400: "Bad request: a parameter is missing or invalid", 401: "Missing or unknown API key",
        403: "The key lacks the scope this route needs", 404: "Not found", 405: "Method not allowed",
        429: "Rate limit exceeded; see Retry-After", 503: "Not ready",
    ]

    /// The document as compact JSON text. `schemas` maps schema names to JSON Schema text.
    public static func json(routes: [APIRoute], schemas: [(name: String, schema: String)], title: String, version: String) -> String {
        var paths: [(key: String, value: JSONValue)] = []
        for template in Array(Set(routes.map(\.template))).sorted() {
            var operations: [(key: String, value: JSONValue)] = []
            for route in routes.filter({ $0.template == template }).sorted(by: { $0.method < $1.method }) {
                operations.append((route.method.lowercased(), operation(route)))
            }
            paths.append((template, .object(operations)))
        }
        var schemaMembers: [(key: String, value: JSONValue)] = [("Error", parse(errorSchema))]
        for (name, schema) in schemas.sorted(by: { $0.name < $1.name }) { schemaMembers.append((name, parse(schema))) }
        let document: JSONValue = .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([("title", .string(title)), ("version", .string(version)),
                              ("description", .string("The options-data platform API served by opsim. Send your key in the X-API-Key header."))])),
            ("servers", .array([.object([("url", .string("/"))])])),
            ("paths", .object(paths)),
            ("components", .object([
                ("securitySchemes", .object([("ApiKey", .object([
                    ("type", .string("apiKey")), ("in", .string("header")), ("name", .string("X-API-Key")),
                ]))])),
                ("schemas", .object(schemaMembers)),
            ])),
        ])
        return document.jsonText
    }

    static func parse(_ text: String) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            preconditionFailure("schema text is not valid JSON: \(error)")
        }
    }

    static func operation(_ route: APIRoute) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("operationId", .string(route.operationID)), ("summary", .string(route.summary)),
        ]
        if !route.parameters.isEmpty {
            members.append(("parameters", .array(route.parameters.map(parameter))))
        }
        members.append(("security", .array(route.scope == nil ? [] : [.object([("ApiKey", .array([]))])])))
        let content: JSONValue
        if route.contentType == "application/json" {
            content = .object([("application/json", .object([("schema", .object([("$ref", .string("#/components/schemas/\(route.responseSchema)"))]))]))])
        } else {
            content = .object([(route.contentType, .object([("schema", .object([("type", .string("string"))]))]))])
        }
        var responses: [(key: String, value: JSONValue)] = [
            ("200", .object([("description", .string(route.summary)), ("content", content)]))
        ]
        var errors = route.errorStatuses + [404, 405]
        if route.scope != nil { errors += [401, 403, 429] }
        if !route.parameters.filter({ $0.location == .query }).isEmpty { errors.append(400) }
        for status in Array(Set(errors)).sorted() {
            responses.append((String(status), .object([
                ("description", .string(statusDescriptions[status] ?? "Error")),
                ("content", .object([("application/json", .object([("schema", .object([("$ref", .string("#/components/schemas/Error"))]))]))])),
            ])))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    static func parameter(_ parameter: APIParameter) -> JSONValue {
        var schema: [(key: String, value: JSONValue)] = [("type", .string(parameter.type))]
        if let format = parameter.format { schema.append(("format", .string(format))) }
        if !parameter.allowed.isEmpty { schema.append(("enum", .array(parameter.allowed.map(JSONValue.string)))) }
        func number(_ value: Double) -> JSONValue {
            var out: [UInt8] = []
            JSONWriter.appendNumber(value, to: &out)
            return .number(JSONNumber(text: String(decoding: out, as: UTF8.self)))
        }
        if let minimum = parameter.minimum { schema.append(("minimum", number(minimum))) }
        if let maximum = parameter.maximum { schema.append(("maximum", number(maximum))) }
        if let bound = parameter.exclusiveMinimum { schema.append(("exclusiveMinimum", number(bound))) }
        return .object([
            ("name", .string(parameter.name)), ("in", .string(parameter.location.rawValue)),
            ("required", .bool(parameter.required)), ("description", .string(parameter.description)),
            ("schema", .object(schema)),
        ])
    }
}
