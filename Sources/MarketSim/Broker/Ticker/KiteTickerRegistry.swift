/// The ticker connections open per API key, enforcing Kite's cap of 3 per key.
///
/// The WebSocket server asks `open` after the handshake's credentials pass
/// `KiteBroker.tickerAccess`, and `close` when the socket ends. Connection ids are sequential,
/// so logs and digests do not depend on hashing.
public struct KiteTickerRegistry: Sendable {
    /// Kite's limit on simultaneous ticker connections per API key.
    public static let connectionsPerKeyDefault = 3
    public let connectionsPerKeyMax: Int
    /// Open connections: id → API key, ids ascending.
    public private(set) var open: [(id: UInt64, apiKey: String)] = []
    private var nextID: UInt64 = 1

    public init(connectionsPerKeyMax: Int = KiteTickerRegistry.connectionsPerKeyDefault) {
        precondition(connectionsPerKeyMax > 0, "connectionsPerKeyMax must be positive")
        self.connectionsPerKeyMax = connectionsPerKeyMax
    }

    /// Registers a new connection for `apiKey`, or refuses it with the text to send before closing.
    public mutating func connect(apiKey: String) -> Result<UInt64, KiteTickerLimitError> {
        let current = open.filter { $0.apiKey == apiKey }.count
        guard current < connectionsPerKeyMax else { return .failure(KiteTickerLimitError(limit: connectionsPerKeyMax)) }
        let id = nextID
        nextID += 1
        open.append((id, apiKey))
        return .success(id)
    }

    /// Forgets connection `id`; unknown ids are ignored (a close can race a refusal).
    public mutating func disconnect(_ id: UInt64) {
        open.removeAll { $0.id == id }
    }
}

/// A ticker connection refused because the key already has the maximum open.
public struct KiteTickerLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var limit: Int

    /// The `{"type":"error"}` text frame to send before closing.
    public var text: [UInt8] { KiteTickerText.error(description) }

    public var description: String {
        "Maximum ticker connections exceeded: at most \(limit) per API key. Close one before opening another."
    }
}
