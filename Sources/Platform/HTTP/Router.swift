/// Maps a request to a handler by method and path pattern; I/O-free, so tests call it directly.
///
/// Patterns are literal segments and `{name}` parameters: `/chain/{symbol}` matches
/// `/chain/NIFTY` with `symbol = "NIFTY"`. Literal routes are found by one table lookup; patterns
/// with parameters are tried in the order they were added. A path that matches with another method
/// gets 405 with `Allow`; no match gets 404; HEAD falls back to the GET handler; a handler that
/// throws gets its `HTTPError` or a 500 JSON body.
///
/// ```swift
/// var router = Router()
/// router.use { request, next in
///     request.headers["X-API-Key"] == "test-key" ? try next(request) : HTTPError(.unauthorized, …).response
/// }
/// router.get("/chain/{symbol}") { request, parameters in .json(Array(parameters["symbol"]!.utf8)) }
/// let response = router.respond(to: request)
/// ```
public struct Router: Sendable {
    /// Handles a matched request; `parameters` holds the `{name}` values from the path.
    public typealias Handler = @Sendable (HTTPRequest, RouteParameters) throws -> HTTPResponse
    /// Wraps every request (matched or not): call `next` to continue, or answer directly.
    public typealias Middleware = @Sendable (HTTPRequest, _ next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse

    struct Route: Sendable {
        let method: HTTPMethod
        let segments: [Segment]
        let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var literalRoutes: [String: [(method: HTTPMethod, handler: Handler)]] = [:]
    private var patternRoutes: [Route] = []
    private var middleware: [Middleware] = []

    public init() {}

    /// Adds a route; a later route for the same method and pattern replaces nothing (first wins).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern '\(pattern)' must start with '/'")
        let segments = Router.segments(of: pattern)
        if segments.allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
            literalRoutes[pattern, default: []].append((method, handler))
        } else {
            patternRoutes.append(Route(method: method, segments: segments, handler: handler))
        }
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add(.post, pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) { add(.put, pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) { add(.delete, pattern, handler) }

    /// Adds middleware; the first added is the outermost.
    public mutating func use(_ middleware: @escaping Middleware) { self.middleware.append(middleware) }

    /// The response to `request`: never throws; errors become JSON error responses.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return try respond(request, middlewareIndex: 0)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return .error(.internalServerError, type: "internal_error", message: "the handler failed; see the server log")
        }
    }

    private func respond(_ request: HTTPRequest, middlewareIndex: Int) throws -> HTTPResponse {
        if middlewareIndex < middleware.count {
            return try middleware[middlewareIndex](request) { request in
                try respond(request, middlewareIndex: middlewareIndex + 1)
            }
        }
        return try dispatch(request)
    }

    private func dispatch(_ request: HTTPRequest) throws -> HTTPResponse {
        var allowed: [HTTPMethod] = []
        if let candidates = literalRoutes[request.path] {
            if let handler = Router.pick(request.method, candidates.lazy.map { ($0.method, $0.handler) }) {
                return try handler(request, RouteParameters())
            }
            allowed.append(contentsOf: candidates.map(\.method))
        }
        if !patternRoutes.isEmpty {
            let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            var matches: [(HTTPMethod, Handler, RouteParameters)] = []
            for route in patternRoutes {
                if let parameters = Router.match(route.segments, pathSegments) {
                    matches.append((route.method, route.handler, parameters))
                }
            }
            for (method, handler, parameters) in matches where method == request.method {
                return try handler(request, parameters)
            }
            if request.method == .head, let get = matches.first(where: { $0.0 == .get }) {
                return try get.1(request, get.2)
            }
            allowed.append(contentsOf: matches.map(\.0))
        }
        guard allowed.isEmpty else {
            var names = Set(allowed.map(\.rawValue))
            if names.contains("GET") { names.insert("HEAD") }
            var response = HTTPError(
                .methodNotAllowed, type: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.path)").response
            response.headers.add(name: "Allow", value: names.sorted().joined(separator: ", "))
            return response
        }
        throw HTTPError(.notFound, type: "not_found", message: "no route for \(request.path)")
    }

    private static func pick<S: Sequence<(HTTPMethod, Handler)>>(_ method: HTTPMethod, _ candidates: S) -> Handler? {
        var getHandler: Handler?
        for (candidate, handler) in candidates {
            if candidate == method { return handler }
            if candidate == .get && getHandler == nil { getHandler = handler }
        }
        return method == .head ? getHandler : nil
    }

    static func segments(of pattern: String) -> [Segment] {
        pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    static func match(_ segments: [Segment], _ path: ArraySlice<Substring>) -> RouteParameters? {
        guard segments.count == path.count else { return nil }
        var parameters = RouteParameters()
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                parameters.values.append((name, String(part)))
            }
        }
        return parameters
    }
}

/// The `{name}` values a route pattern captured, in pattern order (already percent-decoded).
public struct RouteParameters: Sendable {
    var values: [(name: String, value: String)] = []

    public init() {}

    /// The value captured for `{name}`, or nil.
    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }
}
