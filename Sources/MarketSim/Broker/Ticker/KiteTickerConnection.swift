/// One ticker connection's state: its subscriptions and modes, driven by messages and a 1 s timer.
///
/// How this works: the connection starts with no subscriptions. Text messages (`subscribe`,
/// `unsubscribe`, `mode`) change them; a new subscription starts in `quote` mode, as the official
/// client assumes. Every second the harness calls `tick(at:market:)`, which returns the frames
/// to send: a binary frame with one packet per subscribed token whose quote exists (ascending
/// token order, so runs compare byte for byte), then a 1-byte heartbeat; while trading is halted
/// market-wide (`BrokerMarket.isTradingHalted`), the heartbeat alone. At most `tokensMax`
/// tokens; a subscription beyond that is refused with a `{"type":"error"}` text message.
public struct KiteTickerConnection: Sendable {
    /// What to send to the client.
    public enum Output: Sendable, Equatable {
        case binary([UInt8])
        case text([UInt8])
    }

    /// Kite's cap on instruments per connection.
    public static let tokensMaxDefault = 3000
    public let tokensMax: Int
    /// Subscribed tokens and their modes.
    public private(set) var modes: [UInt32: KiteTickMode] = [:]

    public init(tokensMax: Int = KiteTickerConnection.tokensMaxDefault) {
        precondition(tokensMax > 0 && tokensMax <= Int(UInt16.max), "tokensMax \(tokensMax) outside 1…65535")
        self.tokensMax = tokensMax
    }

    /// Applies one client text message; returns any error text to send back.
    public mutating func receive(text: [UInt8]) -> [Output] {
        switch KiteTickerRequest.parse(text) {
        case .failure(let error):
            return [.text(KiteTickerText.error("Invalid message: \(error)."))]
        case .success(.subscribe(let tokens)):
            let fresh = Set(tokens.filter { modes[$0] == nil })
            guard modes.count + fresh.count <= tokensMax else {
                return [.text(KiteTickerText.error(
                    "Subscription limit exceeded: at most \(tokensMax) instruments per connection."))]
            }
            for token in fresh { modes[token] = .quote }
            return []
        case .success(.unsubscribe(let tokens)):
            for token in tokens { modes[token] = nil }
            return []
        case .success(.mode(let mode, let tokens)):
            for token in tokens where modes[token] != nil { modes[token] = mode }
            return []
        }
    }

    /// The frames for the second at `instant`: ticks for the subscribed tokens, then a heartbeat.
    public func tick<Market: BrokerMarket>(at instant: KiteInstant, market: Market) -> [Output] {
        // Nothing trades in a market-wide halt, so nothing ticks: the connection only stays alive.
        if market.isTradingHalted(at: instant) { return [.binary(KiteTickPacket.heartbeat)] }
        var ticks: [KiteTick] = []
        ticks.reserveCapacity(modes.count)
        for token in modes.keys.sorted() {
            guard let mode = modes[token], let quote = market.quote(token: token, at: instant) else { continue }
            ticks.append(KiteTickPacket.tick(quote, mode: mode))
        }
        var out: [Output] = []
        if !ticks.isEmpty { out.append(.binary(KiteTickPacket.frame(ticks))) }
        out.append(.binary(KiteTickPacket.heartbeat))
        return out
    }
}

extension KiteBroker {
    /// Whether a WebSocket upgrade with these query credentials may proceed (else answer HTTP 403).
    public func tickerAccess(apiKey: String, accessToken: String, at now: KiteInstant) -> Bool {
        guard apiKey == configuration.apiKey else { return false }
        if case .success = sessions.session(apiKey: apiKey, accessToken: accessToken, at: now) { return true }
        return false
    }
}
