import MarketSim
import Platform
import Testing

@testable import Chaos

/// The API over what the simulated collector stored: the whole platform path, checked against
/// the market model's ground truth.
@Suite struct PlatformAPISimulationTests {
    static let date = CivilDate(year: 2026, month: 11, day: 25)!

    /// Runs the smoke scenario and serves its store through the API router.
    static func router() throws -> (APIRouter, Instant, Scenario) {
        let scenario = try ScenarioDecoder.decode(Array(#"""
            {"schema_version": 1, "name": "api", "seed": 11, "session": {"date": "2026-11-25", "start": "11:00", "end": "11:00:20"},
             "indices": ["NIFTY"], "collector": {"strikes_each_side": 8, "buckets": ["current_week", "next_week"]}}
            """#.utf8), file: "api")
        var world = World(start: scenario.start, end: scenario.end,
                          components: ScenarioRun.components(for: scenario, seed: scenario.seed), log: EventLog())
        _ = world.run()
        let collector = try #require(world.component(named: "collector") as? CollectorComponent)
        let data = StoreDataSource(store: collector.store, indices: collector.collector.config.indices)
        data.update(contracts: collector.collector.universe)
        let health = collector.collector.health(at: scenario.end)
        data.update(health: { _ in [health] }, metrics: { "" })
        let router = APIRouter(
            routes: PlatformAPI.routes(data: data),
            keys: APIKeyStore(records: [APIKeyRecord(id: "t", key: "k", scopes: [.read], burst: 100, requestsPerSecond: 100)]),
            cors: CORSPolicy(allowedOrigins: []))
        return (router, scenario.end, scenario)
    }

    static func get(_ router: inout APIRouter, _ path: String, _ query: [QueryItem] = [], at now: Instant) throws -> JSONValue {
        let response = router.handle(APIRequest(method: "GET", path: path, query: query, headers: [HeaderField("X-API-Key", "k")]), at: now)
        #expect(response.status == 200, "\(path): \(String(decoding: response.body, as: UTF8.self))")
        return try JSONParser.parse(response.body)
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let n)? = value { return n.double }
        return nil
    }

    @Test("implied vols the API computes from collected quotes recover the market model's true IV near the money")
    func impliedVolatilityMatchesGroundTruth() throws {
        var (router, now, scenario) = try Self.router()
        let chain = try Self.get(&router, "/v1/chain/NIFTY", [QueryItem("strikes", "3")], at: now)
        guard case .array(let contracts) = chain["contracts"], case .string(let collected) = chain["collected_at"] else {
            Issue.record("no contracts")
            return
        }
        #expect(contracts.count == 14)  // ATM ± 3 strikes, calls and puts
        let market = try Market(seed: scenario.seed, date: TradingDate(year: 2026, month: 11, day: 25), indices: ["NIFTY"])
        let at = try #require(ISO8601.parse(collected))
        let truth = try market.chain(index: "NIFTY", at: MarketTime(nanosecondsSinceEpoch: at.nanosecondsSinceEpoch), trades: false)
        let trueIV = Dictionary(uniqueKeysWithValues: truth.expiries.flatMap(\.rows).map { ($0.contract.tradingsymbol, $0.trueIV) })
        var compared = 0
        for contract in contracts {
            guard case .string(let symbol) = contract["tradingsymbol"], let iv = Self.number(contract["iv"]),
                  let expected = trueIV[symbol]
            else { continue }
            // Quotes straddle the model price within the spread, so IV from the mid is close, not exact.
            #expect(abs(iv - expected) < 0.02, "\(symbol): API IV \(iv) vs true \(expected)")
            compared += 1
        }
        #expect(compared >= 10)
    }

    @Test("analytics, surface, expiries and history answer with the documented shapes")
    func otherRoutes() throws {
        var (router, now, scenario) = try Self.router()
        let analytics = try Self.get(&router, "/v1/analytics/NIFTY", at: now)
        #expect(Self.number(analytics["pcr_oi"]).map { $0 > 0 } == true)
        #expect(Self.number(analytics["max_pain"]) != nil)
        let surface = try Self.get(&router, "/v1/surface/NIFTY", at: now)
        guard case .array(let slices) = surface["expiries"] else { Issue.record("no slices"); return }
        #expect(slices.count == 2)
        let expiries = try Self.get(&router, "/v1/indices/NIFTY/expiries", at: now)
        guard case .array(let listed) = expiries["expiries"] else { Issue.record("no expiries"); return }
        #expect(listed.contains { $0["bucket"] == .string("current_week") })
        // History pages never split a snapshot and chain through next_cursor.
        var cursor: String?
        var total = 0
        var pages = 0
        repeat {
            var query = [QueryItem("from", scenario.start.description), QueryItem("to", now.description), QueryItem("limit", "100")]
            if let cursor { query.append(QueryItem("cursor", cursor)) }
            let page = try Self.get(&router, "/v1/history/NIFTY", query, at: now)
            guard case .array(let rows) = page["rows"] else { Issue.record("no rows"); return }
            total += rows.count
            pages += 1
            if case .string(let next) = page["next_cursor"] { cursor = next } else { cursor = nil }
        } while cursor != nil && pages < 100
        #expect(pages > 1)
        #expect(total % 68 == 0 && total > 0)  // whole snapshots of 17 strikes × 2 types × 2 expiries
    }
}
