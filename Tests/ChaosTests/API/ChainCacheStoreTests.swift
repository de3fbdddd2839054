import Platform
import Testing

@testable import Chaos

/// The chain cache over a real store filled by a simulated collection: hits are the bytes a fresh
/// computation gives, and a snapshot written to the store is served at once.
@Suite struct ChainCacheStoreTests {
    @Test("cached chain bytes equal a fresh computation, and a newly stored snapshot changes the served chain")
    func newSnapshotIsServed() throws {
        let scenario = try ScenarioDecoder.decode(Array(#"""
            {"schema_version": 1, "name": "cache", "seed": 5, "session": {"date": "2026-11-25", "start": "11:00", "end": "11:00:05"},
             "indices": ["NIFTY"], "collector": {"strikes_each_side": 4, "buckets": ["current_week"]}}
            """#.utf8), file: "cache")
        var world = World(start: scenario.start, end: scenario.end,
                          components: ScenarioRun.components(for: scenario, seed: scenario.seed), log: EventLog())
        _ = world.run()
        let collector = try #require(world.component(named: "collector") as? CollectorComponent)
        let data = StoreDataSource(store: collector.store, indices: collector.collector.config.indices)
        data.update(contracts: collector.collector.universe)
        let cache = ChainResponseCache()
        var router = APIRouter(
            routes: PlatformAPI.routes(data: data, chainCache: cache),
            keys: APIKeyStore(records: [APIKeyRecord(id: "t", key: "k", scopes: [.read], burst: 100, requestsPerSecond: 100)]),
            cors: CORSPolicy(allowedOrigins: []))
        func served() -> [UInt8] {
            let response = router.handle(APIRequest(method: "GET", path: "/v1/chain/NIFTY", headers: [HeaderField("X-API-Key", "k")]),
                                         at: scenario.end)
            #expect(response.status == 200)
            return response.body
        }
        func fresh() throws -> [UInt8] { PlatformAPI.chainJSON(try data.chain(index: "NIFTY", expiry: nil, bucket: nil, strikes: nil)) }

        let first = served()
        #expect(served() == first)
        #expect(cache.counts.hits == 1)
        #expect(try fresh() == first)

        // A new snapshot one second later, every price a tick higher, lands through the store.
        let latest = try data.withStore { try $0.queryLatest(index: "NIFTY") }
        let at = try #require(latest.first?.collectedAt) + .seconds(1)
        let snapshot = ChainSnapshot(
            index: "NIFTY", tradingDate: CivilDate(year: 2026, month: 11, day: 25)!, collectedAt: at, requestedAt: at,
            underlyingPaise: latest[0].underlyingPaise + 5, rows: latest.map { row in
                var quote = row.quote
                quote.bidPaise += 5
                quote.askPaise += 5
                quote.ltpPaise += 5
                return quote
            })
        _ = try data.withStore { try $0.write(snapshot) }
        let second = served()
        #expect(second != first)
        #expect(second == (try fresh()))
        #expect(String(decoding: second, as: UTF8.self).contains(#""collected_at":"\#(at)""#))
        #expect(served() == second)
    }
}
