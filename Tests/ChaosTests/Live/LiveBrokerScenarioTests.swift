#if canImport(Glibc)
import Chaos
import Glibc
import MarketSim
import Testing

import Platform

/// `opsim serve --scenario`'s broker: a scenario's market (staged shocks) and broker behaviour served live.
@Suite(.serialized) struct LiveBrokerScenarioTests {
    static let at = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 2, second: 30)

    /// NIFTY 50's last price from a broker started at 10:02:30 with `spec` and `behaviour` (nil when the quote fails).
    static func niftyQuote(spec: MarketSpec, behaviour: KiteBehaviourProfile = .perfect) throws -> (status: Int, price: Double?) {
        let live = try LiveBroker.start(
            port: 0, seed: 4242, at: at, speed: 1, apiKey: LiveBrokerTests.apiKey, apiSecret: LiveBrokerTests.apiSecret,
            indices: ["NIFTY"], spec: spec, behaviour: behaviour)
        defer {
            live.shutdown()
            live.wait()
        }
        let client = HTTPClient()
        let token = try LiveBrokerTests.accessToken(live, client: client)
        let quote = try client.get(
            "/quote?i=NSE%3ANIFTY+50", host: "127.0.0.1", port: live.port,
            headers: LiveBrokerTests.authorized(LiveBrokerTests.apiKey, token))
        guard case .number(let price)? = try JSONParser.parse(quote.body)["data"]?["NSE:NIFTY 50"]?["last_price"] else {
            return (quote.status.code, nil)
        }
        return (quote.status.code, price.double)
    }

    @Test("a broker serving a spec with a -4% NIFTY jump at 10:02 quotes NIFTY 4% below the plain market at 10:02:30")
    func shockedMarket() throws {
        var shocked = MarketSpec.standard
        shocked.shocks = [MarketShock(date: TradingDate(year: 2026, month: 11, day: 25), second: 2_820, index: "NIFTY",
                                      kind: .jump(logReturn: PortableMath.log(0.96)))]
        let plain = try Self.niftyQuote(spec: .standard)
        let crashed = try Self.niftyQuote(spec: shocked)
        #expect(plain.status == 200 && crashed.status == 200)
        let ratio = try #require(crashed.price) / (try #require(plain.price))
        #expect(abs(ratio - 0.96) < 0.002, "NIFTY \(plain.price ?? 0) -> \(crashed.price ?? 0)")
    }

    @Test("a broker serving a scenario's broker section injects its errors: a DataException on every quote answers its HTTP status")
    func behaviourServed() throws {
        let behaviour = KiteBehaviourProfile(faults: [KiteInjectedFault(.data, probability: 1, family: .quote)])
        let answer = try Self.niftyQuote(spec: .standard, behaviour: behaviour)
        #expect(answer.status == KiteErrorType.data.defaultHTTPStatus && answer.price == nil)
    }
}
#endif
