import MarketSim
import Platform

/// Maps between the platform's broker-transport values and the mock broker's own, in memory.
///
/// The two modules never import each other; this is the one place their twins meet.
public enum BrokerBridge {
    /// SHA-256 as lower-case hex, for `KiteBrokerConfiguration.checksum`.
    public static let checksum: @Sendable (String) -> String = { SHA256.hash(Array($0.utf8)).hexString }

    /// The mock broker's view of a platform request.
    public static func kiteRequest(_ request: BrokerRequest) -> KiteHTTPRequest {
        KiteHTTPRequest(
            method: request.method, path: request.path,
            query: request.query.map { KiteField($0.name, $0.value) },
            headers: request.headers.map { KiteField($0.name, $0.value) }, body: request.body)
    }

    /// The platform's view of a mock-broker response (latency is the transport's business).
    public static func brokerResponse(_ response: KiteHTTPResponse) -> BrokerResponse {
        BrokerResponse(status: response.status, headers: response.headers.map { HeaderField($0.name, $0.value) },
                       body: response.body)
    }

    /// Virtual time as the broker counts it.
    public static func kiteInstant(_ instant: Instant) -> KiteInstant {
        KiteInstant(nanosecondsSinceEpoch: instant.nanosecondsSinceEpoch)
    }

    /// Sends `request` to `broker` at `now` and returns the platform's response.
    public static func exchange<Market: BrokerMarket>(
        _ request: BrokerRequest, with broker: inout KiteBroker<Market>, at now: Instant
    ) -> BrokerResponse {
        brokerResponse(broker.handle(kiteRequest(request), at: kiteInstant(now)))
    }

    /// Plays the browser login: the request token from `/connect/login`'s redirect, or nil.
    public static func requestToken<Market: BrokerMarket>(
        from broker: inout KiteBroker<Market>, apiKey: String, at now: Instant
    ) -> String? {
        let response = broker.handle(
            KiteHTTPRequest(method: "GET", path: "/connect/login", query: [KiteField("api_key", apiKey), KiteField("v", "3")]),
            at: kiteInstant(now))
        guard response.status == 302, let location = response.header("Location"),
            let range = location.range(of: "request_token=")
        else { return nil }
        return String(location[range.upperBound...].prefix { $0 != "&" })
    }
}
