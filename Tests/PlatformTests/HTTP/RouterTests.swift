import Testing

@testable import Platform

@Suite struct RouterTests {
    struct Boom: Error {}

    static func request(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = ["Host": "h"]) -> HTTPRequest {
        HTTPRequest(method: method, target: target, headers: headers)
    }

    static func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    static var router: Router {
        var router = Router()
        router.get("/health") { _, _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
        router.get("/chain/{symbol}/{expiry}") { _, parameters in
            .text("\(parameters["symbol"] ?? "?") \(parameters["expiry"] ?? "?")")
        }
        router.post("/orders") { request, _ in .text("got \(request.body.count)", status: .created) }
        router.get("/fail") { _, _ in throw Boom() }
        router.get("/teapot") { _, _ in throw HTTPError(HTTPStatus(code: 418), type: "teapot", message: "short and stout") }
        return router
    }

    @Test("literal and parameterised routes dispatch with their captured values")
    func dispatch() {
        let router = Self.router
        #expect(Self.body(router.respond(to: Self.request(.get, "/health"))) == #"{"status":"ok"}"#)
        #expect(Self.body(router.respond(to: Self.request(.get, "/chain/NIFTY%2050/2026-11-26?x=1"))) == "NIFTY 50 2026-11-26")
        #expect(router.respond(to: Self.request(.post, "/orders")).status.code == 201)
    }

    @Test("unknown paths get 404, known paths with another method 405 with Allow")
    func notFoundAndNotAllowed() {
        let router = Self.router
        let missing = router.respond(to: Self.request(.get, "/nope"))
        #expect(missing.status.code == 404)
        #expect(Self.body(missing).contains(#""error_type":"not_found""#))
        let wrongMethod = router.respond(to: Self.request(.delete, "/health"))
        #expect(wrongMethod.status.code == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, HEAD")
        #expect(router.respond(to: Self.request(.put, "/chain/A/B")).status.code == 405)
    }

    @Test("HEAD is answered by the GET handler")
    func headFallsBackToGet() {
        #expect(Self.router.respond(to: Self.request(.head, "/health")).status.code == 200)
        #expect(Self.router.respond(to: Self.request(.head, "/chain/A/B")).status.code == 200)
    }

    @Test("a handler that throws gets a 500 JSON body; an HTTPError keeps its status")
    func errors() {
        let failed = Self.router.respond(to: Self.request(.get, "/fail"))
        #expect(failed.status.code == 500)
        #expect(failed.headers["Content-Type"] == "application/json")
        #expect(!Self.body(failed).contains("Boom"))
        let teapot = Self.router.respond(to: Self.request(.get, "/teapot"))
        #expect(teapot.status.code == 418)
        #expect(Self.body(teapot) == #"{"error":"short and stout","error_type":"teapot"}"#)
    }

    @Test("middleware runs outermost first and can answer without calling next")
    func middleware() {
        var router = Self.router
        router.use { request, next in
            guard request.headers["X-API-Key"] == "test-key" else {
                return .json(Array(#"{"error":"invalid api key"}"#.utf8), status: .unauthorized)
            }
            var response = try next(request)
            response.headers.add(name: "X-Checked", value: "1")
            return response
        }
        #expect(router.respond(to: Self.request(.get, "/health")).status.code == 401)
        let allowed = router.respond(to: Self.request(.get, "/health", headers: ["Host": "h", "x-api-key": "test-key"]))
        #expect(allowed.status.code == 200)
        #expect(allowed.headers["X-Checked"] == "1")
    }
}
