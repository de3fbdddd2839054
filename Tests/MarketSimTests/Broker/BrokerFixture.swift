import Foundation

@testable import MarketSim

/// A broker over the synthetic market with a toy checksum (MarketSim has no SHA-256), logged in.
struct BrokerFixture {
    static let apiKey = "opsimkey"
    static let apiSecret = "opsimsecret"
    /// A stand-in checksum: any pure function works for the broker's logic.
    static let checksum: @Sendable (String) -> String = { String($0.reversed()).lowercased() }
    /// Tuesday 2026-11-24 10:00:00 IST.
    static let date = KiteDate(year: 2026, month: 11, day: 24)!
    static let morning = KiteInstant(ist: date, hour: 10, minute: 0)

    var broker: KiteBroker<SyntheticBrokerMarket>
    var accessToken = ""

    init(profile: KiteBehaviourProfile = .perfect, seed: UInt64 = 7, login: Bool = true) {
        let market = SyntheticBrokerMarket(seed: seed, firstDate: BrokerFixture.date)
        broker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: BrokerFixture.apiKey, apiSecret: BrokerFixture.apiSecret, checksum: BrokerFixture.checksum,
            seed: seed, profile: profile))
        if login { accessToken = self.login(at: BrokerFixture.morning.adding(nanoseconds: -60_000_000_000)) }
    }

    /// Runs the login flow and returns the access token.
    mutating func login(at now: KiteInstant) -> String {
        let requestToken = self.requestToken(at: now)
        let response = broker.handle(sessionRequest(requestToken), at: now)
        let data = BrokerFixture.json(response)["data"] as? [String: Any]
        return data?["access_token"] as? String ?? ""
    }

    mutating func requestToken(at now: KiteInstant) -> String {
        let response = broker.handle(
            KiteHTTPRequest(method: "GET", path: "/connect/login", query: [KiteField("api_key", BrokerFixture.apiKey)]),
            at: now)
        let location = response.header("Location") ?? ""
        let start = location.range(of: "request_token=")!.upperBound
        return String(location[start...].prefix { $0 != "&" })
    }

    func sessionRequest(_ requestToken: String, checksum: String? = nil) -> KiteHTTPRequest {
        let sum = checksum ?? BrokerFixture.checksum(BrokerFixture.apiKey + requestToken + BrokerFixture.apiSecret)
        return KiteHTTPRequest(method: "POST", path: "/session/token",
                               body: Array("api_key=\(BrokerFixture.apiKey)&request_token=\(requestToken)&checksum=\(sum)".utf8))
    }

    /// An authenticated GET.
    func get(_ path: String, _ query: [KiteField] = [], token: String? = nil) -> KiteHTTPRequest {
        KiteHTTPRequest(method: "GET", path: path, query: query,
                        headers: [KiteField("X-Kite-Version", "3"),
                                  KiteField("Authorization", "token \(BrokerFixture.apiKey):\(token ?? accessToken)")])
    }

    /// Option keys listed on the fixture date, in dump order.
    var optionKeys: [String] {
        broker.market.instruments(on: BrokerFixture.date).filter { $0.segment == "NFO-OPT" }.map(\.key)
    }

    static func json(_ response: KiteHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// Asserts the error envelope contract and returns its error_type.
    static func errorType(_ response: KiteHTTPResponse) -> String? {
        let body = json(response)
        guard response.header("Content-Type") == "application/json", body["status"] as? String == "error",
            body["message"] is String
        else { return nil }
        return body["error_type"] as? String
    }
}
