/// A quote call's keys, prepared once by a `BrokerClient` to be asked again and again.
///
/// A collector asks for the same keys every poll. Building the request's query (one item per
/// key) once and sending the same array each time makes a poll's request cost a reference
/// count instead of an array of fresh items, and lets a receiver that remembers the last query
/// (the mock broker) recognise it by identity. Prepare with `BrokerClient.quoteQuery(_:mode:)`,
/// send with `BrokerClient.quoteRequest(_:at:)`; only the client that prepared it may send it.
public struct QuoteQuery: Sendable, Equatable {
    /// The keys (`EXCHANGE:TRADINGSYMBOL`) in request order.
    public let keys: [String]
    public let mode: BrokerQuoteMode
    /// The request without its per-call headers (which carry the session), built once; nil when
    /// the client builds every request afresh from `keys`.
    public let template: BrokerRequest?

    public init(keys: [String], mode: BrokerQuoteMode, template: BrokerRequest? = nil) {
        self.keys = keys
        self.mode = mode
        self.template = template
    }
}
