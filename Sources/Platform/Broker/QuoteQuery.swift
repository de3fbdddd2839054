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
    /// the client builds every request afresh from `keys`. Only this module's clients set it, after
    /// checking `keys`, so a query built elsewhere cannot carry a request its keys do not match.
    let template: BrokerRequest?

    /// Keys to be checked and built into a request by the client each time they are sent.
    public init(keys: [String], mode: BrokerQuoteMode) {
        self.init(keys: keys, mode: mode, template: nil)
    }

    /// Keys with the request a client built from them (after checking them).
    init(keys: [String], mode: BrokerQuoteMode, template: BrokerRequest?) {
        self.keys = keys
        self.mode = mode
        self.template = template
    }
}
