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
        let origin = request.header("Origin")
        var answer = route(request, at: now)
        answer.response.headers += cors.responseHeaders(origin: origin)
        metrics.increment("opsim_api_requests_total", labels: [answer.route, String(answer.response.status)])
        return answer
    }

    private mutating func route(_ request: APIRequest, at now: Instant) -> APIAnswer {
        var keyID: String?
        let (response, label) = dispatch(request, keyID: &keyID, at: now)
        return APIAnswer(response: response, route: label, keyID: keyID)
    }

    private mutating func dispatch(_ request: APIRequest, keyID: inout String?, at now: Instant) -> (APIResponse, String) {
        let candidates = routes.compactMap { route in route.match(request.path).map { (route, $0) } }
        guard !candidates.isEmpty else {
            return (.error(.notFound("no route for \(request.path); see /openapi.json")), "unmatched")
        }
        let label = candidates[0].0.template
        if request.method == "OPTIONS" {
            guard let headers = cors.preflightHeaders(
                origin: request.header("Origin"), requestMethod: request.header("Access-Control-Request-Method"),
                requestHeaders: request.header("Access-Control-Request-Headers"))
            else { return (.error(.forbidden("CORS preflight refused for this origin, method or headers")), label) }
            return (APIResponse(status: 204, headers: headers, body: []), label)
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let (route, parameters) = candidates.first(where: { $0.0.method == method }) else {
            let allowed = Set(candidates.map(\.0.method)).sorted().joined(separator: ", ")
            var error = APIError(status: 405, errorType: "method_not_allowed",
                                 message: "\(request.method) is not allowed on \(request.path); allowed: \(allowed)")
            error.headers = [HeaderField("Allow", allowed)]
            return (.error(error), label)
        }
        var rateHeaders: [HeaderField] = []
        if let scope = route.scope {
            switch keys.authorize(presentedKey: request.header("X-API-Key"), scope: scope, at: now) {
            case .denied(let error):
                keyID = keys.keyID(presentedKey: request.header("X-API-Key"))
                return (.error(error), label)
            case .allowed(let id, let remaining, let limit):
                keyID = id
                rateHeaders = [HeaderField("X-RateLimit-Limit", String(limit)), HeaderField("X-RateLimit-Remaining", String(remaining))]
            }
        }
        do {
            var response = try route.handler(request, parameters, now)
            response.headers += rateHeaders
            if request.method == "HEAD" { response.body = [] }
            return (response, label)
        } catch {
            return (.error(error), label)
        }
    }
}

/// What the router answered and for whom: the response, the route template (`unmatched` when no
/// route matched) and the id of the key that was presented, when it was a known key.
public struct APIAnswer: Sendable, Equatable {
    public var response: APIResponse
    public var route: String
    public var keyID: String?
}
