import MarketSim
import Platform
import Testing

@testable import Chaos

/// The `market` section: model overrides and scheduled events, decoded, applied and rejected with key paths.
@Suite struct ScenarioDecoderMarketTests {
    static let valid = """
        {"schema_version": 1, "name": "m", "seed": 7,
         "session": {"date": "2026-11-25", "start": "10:00", "end": "10:05"}, "indices": ["NIFTY", "BANKNIFTY"],
         "collector": {},
         "market": {"indices": {"NIFTY": {"vol": 0.3, "skew_rho": -0.6, "smile_eta": 1.1}},
                    "events": [{"type": "vol_spike", "from": "10:01", "to": "10:30", "factor": 2},
                               {"type": "jump", "at": "10:02:30", "index": "NIFTY", "return_percent": -4}]}}
        """

    static func keyPath(_ text: String) -> String? {
        do {
            _ = try ScenarioDecoder.decode(Array(text.utf8), file: "m.json")
            return nil
        } catch {
            return error.keyPath
        }
    }

    @Test("overrides replace only the named parameters; events become shocks in session seconds on the session date")
    func decodes() throws {
        let scenario = try ScenarioDecoder.decode(Array(Self.valid.utf8), file: "m.json")
        let market = try #require(scenario.market)
        let spec = market.spec(from: .standard)
        let nifty = try #require(spec.index(named: "NIFTY")).model
        let standard = try #require(MarketSpec.standard.index(named: "NIFTY")).model
        #expect(nifty.vol == 0.3 && nifty.skewRho == -0.6 && nifty.smileEta == 1.1)
        #expect(nifty.volOfVol == standard.volOfVol && nifty.jumpsPerDay == standard.jumpsPerDay)
        #expect(spec.index(named: "BANKNIFTY")?.model == MarketSpec.standard.index(named: "BANKNIFTY")?.model)
        let day = TradingDate(year: 2026, month: 11, day: 25)
        #expect(spec.shocks == [
            MarketShock(date: day, second: 2_760, index: nil, kind: .volatility(factor: 2, untilSecond: 4_500)),
            MarketShock(date: day, second: 2_850, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.96))),
        ])
        #expect(market.circuitBreakers && spec.circuitBreakers)
        let off = try ScenarioDecoder.decode(Array(Self.valid.replacingOccurrences(of: #""events": ["#, with: #""circuit_breakers": false, "events": ["#).utf8), file: "m.json")
        #expect(off.market?.spec(from: .standard).circuitBreakers == false)
        #expect(market.eventSummary(openSecond: 33_300) == "10:01:00-10:30:00 all volatility x2.0; 10:02:30 NIFTY jump -4.0%")
    }

    @Test("a scenario's market section changes the event log's header and digest; one without keeps the old header")
    func header() throws {
        let scenario = try ScenarioDecoder.decode(Array(Self.valid.utf8), file: "m.json")
        #expect(ScenarioRun.marketHeader(scenario).map(\.key) == ["market_overrides", "market_events"])
        var plain = scenario
        plain.market = nil
        #expect(ScenarioRun.marketHeader(plain).isEmpty)
    }

    @Test("bad market sections are rejected with the key path", arguments: [
        (#""vol": 0.3"#, #""vol": 0"#, "market.indices.NIFTY.vol"),
        (#""vol": 0.3"#, #""volatility": 0.3"#, "market.indices.NIFTY.volatility"),
        (#""smile_eta": 1.1"#, #""smile_eta": 1.5"#, "market.indices.NIFTY.smile_eta"),
        (#""skew_rho": -0.6, "smile_eta": 1.1"#, #""skew_rho": -0.98"#, "market.indices.NIFTY.skew_rho"),
        (#""skew_rho": -0.6"#, #""skew_rho": -1"#, "market.indices.NIFTY.skew_rho"),
        (#""indices": {"NIFTY""#, #""indices": {"FINNIFTY""#, "market.indices.FINNIFTY"),
        (#""type": "vol_spike""#, #""type": "crash""#, "market.events[0].type"),
        (#""from": "10:01""#, #""from": "08:00""#, "market.events[0].from"),
        (#""to": "10:30""#, #""to": "10:00""#, "market.events[0].to"),
        (#""factor": 2"#, #""factor": 0"#, "market.events[0].factor"),
        (#""at": "10:02:30""#, #""at": "15:30""#, "market.events[1].at"),
        (#""at": "10:02:30""#, #""at": "15:31""#, "market.events[1].at"),
        (#""return_percent": -4"#, #""return_percent": -60"#, "market.events[1].return_percent"),
        (#""return_percent": -4"#, #""size": -4"#, "market.events[1].return_percent"),
        (#""index": "NIFTY", "return"#, #""index": "SENSEX", "return"#, "market.events[1].index"),
        (#""collector": {},"#, "", "market"),
        (#""events": ["#, #""circuit_breakers": "off", "events": ["#, "market.circuit_breakers"),
    ])
    func rejects(original: String, replacement: String, keyPath: String) {
        let text = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.valid)
        #expect(Self.keyPath(text) == keyPath)
    }
}
