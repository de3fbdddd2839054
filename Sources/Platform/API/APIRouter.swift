/// Routes API requests: match, authenticate, rate-limit, apply CORS, call the handler, map errors.
///
/// All cross-cutting policy lives here, in one function, so every route gets the same treatment:
/// an unknown path is 404, a known path with another method is 405 with `Allow`, `OPTIONS` is a
/// CORS preflight, and every error is a JSON body with a stable `error_type`.
public struct APIRouter: Sendable {
    public private(set) var routes: [APIRoute]
    public var keys: APIKeyStore
    public var cors: CORSPolicy
    public private(set) var metrics: MetricsRegistry

    public init(routes: [APIRoute], keys: APIKeyStore, cors: CORSPolicy) {
        self.routes = routes
        self.keys = keys
        self.cors = cors
        var metrics = MetricsRegistry()
        metrics.declare(.counter("opsim_api_requests_total", help: "API requests answered, by route and status.",
                                 labels: ["route", "status"]))
        self.metrics = metrics
    }

    /// Adds routes (later routes never shadow earlier ones with the same method and template).
    public mutating func add(_ more: [APIRoute]) { routes += more }

    /// Answers `request` at `now`.
    public mutating func handle(_ request: APIRequest, at now: Instant) -> APIResponse {
        answer(request, at: now).response
    }

    /// Answers `request` at `now`, saying which route and key it was for (for the access log).
    public mutating func answer(_ request: APIRequest, at now: Instant) -> APIAnswer {
        switch admit(request, at: now) {
        case .answered(let answer):
            return finish(answer, request: request)
        case .admitted(let admitted):
            return finish(Self.run(admitted, request, at: now), request: request)
        }
    }

    /// The first phase of an answer: matching, CORS preflight, 405, authentication and the key's
    /// rate limit (all the state the router changes). A live server holds its lock for this and
    /// `finish` only, and runs the admitted route's handler (`run`) outside it.
    public mutating func admit(_ request: APIRequest, at now: Instant) -> APIAdmission {
        let parts = APIRoute.pathSegments(request.path)
        // Indices, not copies: a route is a dozen strings and arrays to retain.
        var candidates: [(index: Int, parameters: [String: String])] = []
        for index in routes.indices {
            if let parameters = routes[index].match(segments: parts) { candidates.append((index, parameters)) }
        }
        guard !candidates.isEmpty else {
            return .answered(APIAnswer(response: .error(.notFound("no route for \(request.path); see /openapi.json")), route: "unmatched"))
        }
        let label = routes[candidates[0].index].template
        if request.method == "OPTIONS" {
            guard let headers = cors.preflightHeaders(
                origin: request.header("Origin"), requestMethod: request.header("Access-Control-Request-Method"),
                requestHeaders: request.header("Access-Control-Request-Headers"))
            else { return .answered(APIAnswer(response: .error(.forbidden("CORS preflight refused for this origin, method or headers")), route: label)) }
            return .answered(APIAnswer(response: APIResponse(status: 204, headers: headers, body: []), route: label))
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let (routeIndex, parameters) = candidates.first(where: { routes[$0.index].method == method }) else {
            let allowed = Set(candidates.map { routes[$0.index].method }).sorted().joined(separator: ", ")
            var error = APIError(status: 405, errorType: "method_not_allowed",
                                 message: "\(request.method) is not allowed on \(request.path); allowed: \(allowed)")
            error.headers = [HeaderField("Allow", allowed)]
            return .answered(APIAnswer(response: .error(error), route: label))
        }
        var admitted = APIAdmission.Admitted(handler: routes[routeIndex].handler, template: routes[routeIndex].template,
                                             parameters: parameters, rateHeaders: [], keyID: nil)
        if let scope = routes[routeIndex].scope {
            switch keys.authorize(presentedKey: request.header("X-API-Key"), scope: scope, at: now) {
            case .denied(let error):
                return .answered(APIAnswer(response: .error(error), route: label,
                                           keyID: keys.keyID(presentedKey: request.header("X-API-Key"))))
            case .allowed(let id, let remaining, let limit):
                admitted.keyID = id
                admitted.rateHeaders = [HeaderField("X-RateLimit-Limit", String(limit)), HeaderField("X-RateLimit-Remaining", String(remaining))]
            }
        }
        return .admitted(admitted)
    }

    /// The second phase: the admitted route's handler, with errors mapped to JSON. Changes no router
    /// state, so live servers call it outside their lock.
    public static func run(_ admitted: APIAdmission.Admitted, _ request: APIRequest, at now: Instant) -> APIAnswer {
        var response: APIResponse
        do {
            response = try admitted.handler(request, admitted.parameters, now)
            response.headers += admitted.rateHeaders
            if request.method == "HEAD" { response.body = [] }
        } catch {
            response = .error(error)
        }
        return APIAnswer(response: response, route: admitted.template, keyID: admitted.keyID)
    }

    /// The last phase: CORS response headers and the request counter.
    public mutating func finish(_ answer: APIAnswer, request: APIRequest) -> APIAnswer {
        var answer = answer
        answer.response.headers += cors.responseHeaders(origin: request.header("Origin"))
        metrics.increment("opsim_api_requests_total", labels: [answer.route, String(answer.response.status)])
        return answer
    }
}

/// What `APIRouter.admit` decided for a request.
public enum APIAdmission: Sendable {
    /// Answered without a handler: 404, 405, preflight, 401/403/429.
    case answered(APIAnswer)
    /// Authorised: run the route's handler.
    case admitted(Admitted)

    /// A request that passed matching, authentication and its key's rate limit.
    public struct Admitted: Sendable {
        public var handler: APIRoute.Handler
        /// The route's path template, e.g. `/v1/chain/{index}`.
        public var template: String
        public var parameters: [String: String]
        /// `X-RateLimit-*` headers for the response.
        public var rateHeaders: [HeaderField]
        public var keyID: String?
    }
}

/// What the router answered and for whom: the response, the route template (`unmatched` when no
/// route matched) and the id of the key that was presented, when it was a known key.
public struct APIAnswer: Sendable, Equatable {
    public var response: APIResponse
    public var route: String
    public var keyID: String?

    public init(response: APIResponse, route: String, keyID: String? = nil) {
        self.response = response
        self.route = route
        self.keyID = keyID
    }
}
