import Testing

@testable import Platform

@Suite struct APIKeyStoreTests {
    static let t0 = Instant(secondsSinceEpoch: 1_795_491_900)

    static func store() -> APIKeyStore {
        APIKeyStore(records: [
            APIKeyRecord(id: "trader", key: "k-trader", scopes: [.read, .stream], burst: 2, requestsPerSecond: 1),
            APIKeyRecord(id: "ops", key: "k-ops", scopes: [.read, .admin]),
        ])
    }

    @Test("a known key with the scope is allowed; unknown, missing and out-of-scope keys get 401/403")
    func authorisation() {
        var store = Self.store()
        #expect(store.authorize(presentedKey: "k-trader", scope: .read, at: Self.t0) == .allowed(keyID: "trader", remaining: 1, limit: 2))
        guard case .denied(let unknown) = store.authorize(presentedKey: "k-nope", scope: .read, at: Self.t0),
              case .denied(let missing) = store.authorize(presentedKey: nil, scope: .read, at: Self.t0),
              case .denied(let scope) = store.authorize(presentedKey: "k-ops", scope: .stream, at: Self.t0)
        else {
            Issue.record("expected denials")
            return
        }
        #expect(unknown.status == 401 && unknown.errorType == "unauthenticated")
        #expect(missing.status == 401)
        #expect(scope.status == 403 && scope.message.contains("stream"))
    }

    @Test("each key is limited separately, with 429, Retry-After and X-RateLimit headers")
    func rateLimits() {
        var store = Self.store()
        _ = store.authorize(presentedKey: "k-trader", scope: .read, at: Self.t0)
        _ = store.authorize(presentedKey: "k-trader", scope: .read, at: Self.t0)
        guard case .denied(let limited) = store.authorize(presentedKey: "k-trader", scope: .read, at: Self.t0) else {
            Issue.record("third request in the same instant must be limited")
            return
        }
        #expect(limited.status == 429)
        #expect(limited.headers.contains(HeaderField("Retry-After", "1")))
        #expect(limited.headers.contains(HeaderField("X-RateLimit-Limit", "2")))
        // Another key is unaffected.
        guard case .allowed = store.authorize(presentedKey: "k-ops", scope: .read, at: Self.t0) else {
            Issue.record("ops key must not share trader's bucket")
            return
        }
        let body = String(decoding: limited.jsonBody, as: UTF8.self)
        #expect(body.hasPrefix(#"{"error_type":"rate_limited","message":"#))
    }

    @Test("constant-time comparison agrees with ==")
    func constantTime() {
        var random = SplitMix64(seed: 2)
        for _ in 0..<1000 {
            let a = (0..<Int(random.next(below: 4))).map { _ in UInt8(random.next(below: 3)) }
            let b = (0..<Int(random.next(below: 4))).map { _ in UInt8(random.next(below: 3)) }
            #expect(APIKeyStore.constantTimeEqual(a, b) == (a == b))
        }
    }

    @Test("CORS answers only allow-listed origins, methods and headers")
    func cors() {
        let policy = CORSPolicy(allowedOrigins: ["http://localhost:3000"])
        #expect(policy.responseHeaders(origin: "http://evil.example").isEmpty)
        #expect(policy.responseHeaders(origin: "http://localhost:3000").first == HeaderField("Access-Control-Allow-Origin", "http://localhost:3000"))
        #expect(policy.preflightHeaders(origin: "http://localhost:3000", requestMethod: "GET", requestHeaders: "x-api-key") != nil)
        #expect(policy.preflightHeaders(origin: "http://localhost:3000", requestMethod: "DELETE", requestHeaders: nil) == nil)
        #expect(policy.preflightHeaders(origin: "http://localhost:3000", requestMethod: "GET", requestHeaders: "X-Secret") == nil)
    }
}
