import MarketSim
import Platform

/// The mock Kite broker as the link's endpoint: requests in, responses out, in virtual time.
public struct MockBrokerEndpoint<Market: BrokerMarket>: BrokerEndpoint {
    public private(set) var broker: KiteBroker<Market>

    public init(broker: KiteBroker<Market>) { self.broker = broker }

    public mutating func respond(to request: BrokerRequest, at now: Instant) -> (response: BrokerResponse, processing: Duration) {
        let answer = broker.handle(BrokerBridge.kiteRequest(request), at: BrokerBridge.kiteInstant(now))
        return (BrokerBridge.brokerResponse(answer), .nanoseconds(answer.latencyNanoseconds))
    }
}
