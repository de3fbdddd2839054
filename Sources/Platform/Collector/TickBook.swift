/// The latest ticker update per instrument token, with when and on which connection it arrived.
///
/// The collector cuts a snapshot from it at each interval: a token's tick is used only while
/// its connection is up and the tick is fresh, so after a disconnect those tokens fall back to
/// REST. An update older (by exchange time) than the one held is ignored, so a late frame can
/// never move a token back in time.
public struct TickBook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var tick: BrokerTick
        public var receivedAt: Instant
        public var connection: Int
    }

    /// Bound on tokens held: every connection full (Kite: 3 × 3,000).
    public static let tokensMax = 9_000
    public private(set) var entries: [UInt32: Entry] = [:]

    public init() {}

    /// Keeps `tick` unless the book holds a newer one for its token; returns whether it was kept.
    @discardableResult
    public mutating func record(_ tick: BrokerTick, connection: Int, at now: Instant) -> Bool {
        if let held = entries[tick.instrumentToken], let old = held.tick.exchangeTime, let new = tick.exchangeTime, new < old {
            return false
        }
        precondition(entries.count < Self.tokensMax || entries[tick.instrumentToken] != nil,
                     "tick book holds \(entries.count) tokens, at its bound \(Self.tokensMax)")
        entries[tick.instrumentToken] = Entry(tick: tick, receivedAt: now, connection: connection)
        return true
    }

    /// The tick for `token` if it arrived no more than `maxAge` before `now`.
    public func fresh(_ token: UInt32, at now: Instant, maxAge: Duration) -> BrokerTick? {
        guard let entry = entries[token], now - entry.receivedAt <= maxAge else { return nil }
        return entry.tick
    }

    /// Forgets every tick that arrived on `connection` (it dropped: those tokens need REST now).
    public mutating func drop(connection: Int) {
        entries = entries.filter { $0.value.connection != connection }
    }

    /// Forgets the ticks of `tokens` (they were unsubscribed).
    public mutating func drop(tokens: [UInt32]) {
        for token in tokens { entries[token] = nil }
    }

    public var count: Int { entries.count }
}
