import MarketSim
import Platform

/// The mock Kite broker as the link's endpoint: requests in, responses out, in virtual time.
public struct MockBrokerEndpoint<Market: BrokerMarket>: BrokerEndpoint {
    public private(set) var broker: KiteBroker<Market>
    /// The last request's query and headers as mapped, reused while requests repeat them.
    private var memo = KiteRequestMemo()

    public init(broker: KiteBroker<Market>) { self.broker = broker }

    public mutating func respond(to request: BrokerRequest, at now: Instant) -> (response: BrokerResponse, processing: Duration) {
        let answer = broker.handle(memo.kiteRequest(request), at: BrokerBridge.kiteInstant(now))
        return (BrokerBridge.brokerResponse(answer), .nanoseconds(answer.latencyNanoseconds))
    }
}
