import MarketSim
import Platform

/// The mock Kite broker as the link's endpoint: requests in, responses out, in virtual time.
public struct MockBrokerEndpoint<Market: BrokerMarket>: BrokerEndpoint {
    public private(set) var broker: KiteBroker<Market>

    public init(broker: KiteBroker<Market>) { self.broker = broker }

    public mutating func respond(to request: BrokerRequest, at now: Instant) -> BrokerResponse {
        BrokerBridge.exchange(request, with: &broker, at: now)
    }
}
