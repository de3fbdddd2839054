import Foundation
import Synchronization
import Testing

@testable import Platform

/// A chain source whose data version and generation the test moves, counting computations.
final class VersionedData: PlatformDataSource, Sendable {
    struct State {
        var version: Int64 = 0
        var generation: UInt64? = 0
        var computations = 0
        /// Runs inside `chain`, as if a snapshot landed while the body was being computed.
        var duringCompute: (@Sendable () -> Void)?
    }

    let state = Mutex(State())

    /// A new snapshot: the data changes first, then the generation moves on (as the collector does).
    func land() {
        state.withLock { state in
            state.version += 1
            state.generation = state.generation.map { $0 + 1 }
        }
    }

    var dataGeneration: UInt64? { state.withLock { $0.generation } }

    func chain(index: String, expiry: CivilDate?, bucket: String?, strikes: Int?) throws(APIError) -> ChainView {
        let (version, hook) = state.withLock { state -> (Int64, (@Sendable () -> Void)?) in
            state.computations += 1
            return (state.version, state.duringCompute)
        }
        hook?()
        var chain = try FixedData().chain(index: index, expiry: expiry, bucket: bucket, strikes: strikes)
        chain.underlyingPaise = version  // the body says which data version it was computed from
        if let strikes { chain.atmStrikePaise = Int64(strikes) }
        return chain
    }

    func indices() -> [IndexView] { FixedData().indices() }
    func expiries(index: String) -> [ExpiryView]? { FixedData().expiries(index: index) }
    func analytics(index: String) throws(APIError) -> [UInt8] { try FixedData().analytics(index: index) }
    func surface(index: String) throws(APIError) -> [UInt8] { try FixedData().surface(index: index) }
    func history(index: String, query: HistoryQuery) throws(APIError) -> HistoryPage { try FixedData().history(index: index, query: query) }
    func health(at now: Instant) -> HealthReport { FixedData().health(at: now) }
    func metricsText() -> String { "" }
}

@Suite struct ChainResponseCacheTests {
    static func router(_ data: VersionedData, cache: ChainResponseCache = ChainResponseCache()) -> APIRouter {
        APIRouter(
            routes: PlatformAPI.routes(data: data, chainCache: cache),
            keys: APIKeyStore(records: [APIKeyRecord(id: "t", key: "k", scopes: [.read], burst: 1_000_000, requestsPerSecond: 1_000_000)]),
            cors: CORSPolicy(allowedOrigins: []))
    }

    static func chain(_ router: inout APIRouter, strikes: String? = nil) -> APIResponse {
        router.handle(APIRequest(method: "GET", path: "/v1/chain/NIFTY", query: strikes.map { [QueryItem("strikes", $0)] } ?? [],
                                 headers: [HeaderField("X-API-Key", "k")]), at: FixedData.at)
    }

    /// The data version a served body was computed from.
    static func version(_ response: APIResponse) throws -> Int64 {
        guard case .number(let number) = try JSONParser.parse(response.body)["underlying"] else { return -1 }
        return Int64((number.double * 100).rounded())
    }

    @Test("an unchanged generation is served from the cache, byte-identical to a fresh computation")
    func hitsAreFreshBytes() throws {
        let data = VersionedData()
        let cache = ChainResponseCache()
        var router = Self.router(data, cache: cache)
        let first = Self.chain(&router)
        let again = (0..<10).map { _ in Self.chain(&router) }
        #expect(first.status == 200)
        #expect(again.allSatisfy { $0.body == first.body })
        #expect(data.state.withLock { $0.computations } == 1)
        #expect(cache.counts.hits == 10 && cache.counts.misses == 1)
        let fresh = PlatformAPI.chainJSON(try data.chain(index: "NIFTY", expiry: nil, bucket: nil, strikes: nil))
        #expect(first.body == fresh)
    }

    @Test("a new snapshot changes the served body; each query is cached on its own")
    func newSnapshotInvalidates() throws {
        let data = VersionedData()
        var router = Self.router(data)
        let before = Self.chain(&router)
        let narrow = Self.chain(&router, strikes: "3")
        #expect(before.body != narrow.body)
        data.land()
        let after = Self.chain(&router)
        #expect(after.body != before.body)
        #expect(try Self.version(before) == 0 && Self.version(after) == 1)
        #expect(try Self.version(Self.chain(&router, strikes: "3")) == 1)
        #expect(data.state.withLock { $0.computations } == 4)
    }

    @Test("a snapshot landing while a body is computed makes the next request recompute")
    func raceWithSnapshot() throws {
        let data = VersionedData()
        var router = Self.router(data)
        data.state.withLock { $0.duringCompute = { data.land() } }
        let racing = Self.chain(&router)  // computed from version 0; version 1 landed meanwhile
        data.state.withLock { $0.duringCompute = nil }
        #expect(try Self.version(racing) == 0)
        #expect(try Self.version(Self.chain(&router)) == 1)
    }

    @Test("a source that cannot tell its generation is recomputed on every request")
    func noGenerationNoCache() {
        let data = VersionedData()
        data.state.withLock { $0.generation = nil }
        var router = Self.router(data)
        for _ in 0..<3 { _ = Self.chain(&router) }
        #expect(data.state.withLock { $0.computations } == 3)
    }

    @Test("errors are not cached, and the cache never holds more than its bound")
    func errorsAndBound() {
        let cache = ChainResponseCache(entriesMax: 2)
        var computed = 0
        for strikes in 1...5 {
            let key = ChainResponseCache.Key(index: "NIFTY", expiry: nil, bucket: nil, strikes: strikes)
            _ = try? cache.body(for: key, generation: 0) { () throws(APIError) -> [UInt8] in
                computed += 1
                return [UInt8(strikes)]
            }
        }
        let failing = ChainResponseCache.Key(index: "DOW", expiry: nil, bucket: nil, strikes: nil)
        for _ in 0..<2 {
            #expect(throws: APIError.self) {
                try cache.body(for: failing, generation: 0) { () throws(APIError) -> [UInt8] in
                    computed += 1
                    throw .notFound("unknown index DOW")
                }
            }
        }
        #expect(computed == 7)
    }

    /// Readers on several threads while snapshots land: a body is never older than the
    /// generation its request saw before asking (the writer changes data, then the generation).
    @Test("under concurrent readers and snapshots, no request is served data older than its generation")
    func concurrentReadersSeeNoStaleBody() throws {
        let data = VersionedData()
        let cache = ChainResponseCache()
        let routes = PlatformAPI.routes(data: data, chainCache: cache)
        let chainRoute = try #require(routes.first { $0.template == "/v1/chain/{index}" })
        let stale = Atomic<Int>(0)
        let served = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            if worker == 0 {
                for _ in 0..<200 { data.land() }
                return
            }
            for _ in 0..<400 {
                let seen = Int64(data.dataGeneration ?? 0)
                let request = APIRequest(method: "GET", path: "/v1/chain/NIFTY")
                guard let response = try? chainRoute.handler(request, ["index": "NIFTY"], FixedData.at),
                      let version = try? Self.version(response)
                else { continue }
                served.add(1, ordering: .relaxed)
                if version < seen { stale.add(1, ordering: .relaxed) }
            }
        }
        #expect(served.load(ordering: .relaxed) == 1600)
        #expect(stale.load(ordering: .relaxed) == 0)
        var router = Self.router(data, cache: cache)
        #expect(try Self.version(Self.chain(&router)) == 200)
    }
}
