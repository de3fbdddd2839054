import Platform
import Synchronization

/// The platform API on the live HTTP server: every loop's requests go through one `APIRouter`
/// (auth, per-key rate limits, CORS, metrics) whose state is locked only while admitting and
/// counting a request, and each answer can be reported to an access log.
///
/// `opsim serve` and `opsim-bench api-chain` both serve through this, so the benchmark measures
/// the same path a user's requests take.
public final class LiveAPI: Sendable {
    /// One answered request, for the access log (the key's id, never the key).
    public struct Access: Sendable, Equatable {
        public var method: String
        /// The path as requested (without the query).
        public var path: String
        /// The matched route template, e.g. `/v1/chain/{index}`, or `unmatched`.
        public var route: String
        public var status: Int
        public var keyID: String?
        public var bodyBytes: Int
        /// Time spent answering inside the server (not the network), in nanoseconds.
        public var durationNanoseconds: Int64
    }

    private let router: Mutex<APIRouter>
    private let clock: WallClock
    private let accessLog: (@Sendable (Access) -> Void)?

    /// Serves `router`'s routes with `clock` as the API's time; `accessLog` sees every answer.
    public init(router: APIRouter, clock: WallClock, accessLog: (@Sendable (Access) -> Void)? = nil) {
        self.router = Mutex(router)
        self.clock = clock
        self.accessLog = accessLog
    }

    /// The HTTP router to start an `HTTPServer` with.
    public var httpRouter: Router {
        var http = Router()
        http.use { [self] request, _ in respond(to: request) }
        return http
    }

    /// Answers one HTTP request through the API router.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = WallClock.monotonicNow()
        let apiRequest = APIRequest(
            method: request.method.rawValue, path: request.path,
            query: request.queryItems.map { QueryItem($0.name, $0.value) },
            headers: request.headers.fields.map { HeaderField($0.name, $0.value) })
        let now = clock.now
        // The router's state (key buckets, metrics) is locked; the handler runs outside the lock,
        // so the loops' requests are answered in parallel.
        var answer: APIAnswer
        switch router.withLock({ $0.admit(apiRequest, at: now) }) {
        case .answered(let early):
            answer = early
        case .admitted(let admitted):
            answer = APIRouter.run(admitted, apiRequest, at: now)
        }
        answer = router.withLock { $0.finish(answer, request: apiRequest) }
        let response = answer.response
        if let accessLog {
            accessLog(Access(
                method: apiRequest.method, path: apiRequest.path, route: answer.route, status: response.status,
                keyID: answer.keyID, bodyBytes: response.body.count,
                durationNanoseconds: (WallClock.monotonicNow() - started).wholeNanoseconds))
        }
        return HTTPResponse(status: HTTPStatus(code: response.status),
                            headers: HTTPHeaders(response.headers.map { ($0.name, $0.value) }), body: response.body)
    }
}
