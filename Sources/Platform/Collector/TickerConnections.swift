/// Where an index's option quotes come from.
public enum CollectorSource: String, Sendable, Equatable, CaseIterable {
    /// `/quote` polling in batches under the token bucket.
    case rest
    /// The WebSocket ticker in full mode; REST fills what the stream does not cover.
    case ticker
}

/// Something that happened on a ticker connection, handed to the collector by its harness.
public enum TickerEvent: Sendable, Equatable {
    /// Connection `connection` completed its WebSocket handshake.
    case opened(connection: Int)
    /// It closed, failed to open, or was refused; `reason` says why, for the log.
    case closed(connection: Int, reason: String)
    /// A binary message (tick frame or heartbeat).
    case binary(connection: Int, [UInt8])
    /// A text message (error, order, notice).
    case text(connection: Int, [UInt8])
}

/// What the collector asks its harness to do with ticker connections.
public enum TickerCommand: Sendable, Equatable {
    /// Open connection `connection` with the session's access token (`?api_key=…&access_token=…`).
    case connect(connection: Int, accessToken: String)
    /// Send a text message (subscribe, unsubscribe, mode).
    case send(connection: Int, text: [UInt8])
    /// Close the connection; no `.closed` event is expected back.
    case close(connection: Int)
}

/// Which tokens each ticker connection carries, and each connection's state.
///
/// How this works: `assign` spreads the wanted tokens over at most `connectionsMax` connections
/// of `tokensPerConnection` each, keeping a token on its connection while it stays wanted and
/// filling new ones into the first connection with room (so one index usually needs one
/// connection). Tokens that do not fit are the shortfall. A connection is `idle` (never
/// opened, or emptied), `connecting`, `open` with the tokens it has subscribed, or `waiting`
/// to reconnect after a failure (attempt counts consecutive failures, for the backoff).
public struct TickerConnections: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case idle
        case connecting(attempt: Int)
        case open(subscribed: Set<UInt32>)
        case waiting(attempt: Int, until: Instant)
    }

    public let connectionsMax: Int
    public let tokensPerConnection: Int
    public private(set) var states: [State]
    /// Tokens assigned to each connection, ascending.
    public private(set) var assigned: [[UInt32]]
    /// Wanted tokens that no connection could take at the last `assign`.
    public private(set) var shortfall: [UInt32] = []

    public init(connectionsMax: Int, tokensPerConnection: Int) {
        precondition(connectionsMax >= 1 && connectionsMax <= 16, "ticker connections \(connectionsMax) outside 1...16")
        precondition(tokensPerConnection >= 1 && tokensPerConnection <= 65_535, "tokens per connection outside 1...65535")
        self.connectionsMax = connectionsMax
        self.tokensPerConnection = tokensPerConnection
        states = Array(repeating: .idle, count: connectionsMax)
        assigned = Array(repeating: [], count: connectionsMax)
    }

    /// Spreads `wanted` (any order, no duplicates) over the connections; returns the shortfall.
    @discardableResult
    public mutating func assign(_ wanted: [UInt32]) -> [UInt32] {
        let wantedSet = Set(wanted)
        var placed = Set<UInt32>()
        for connection in 0..<connectionsMax {
            assigned[connection] = assigned[connection].filter { wantedSet.contains($0) }
            placed.formUnion(assigned[connection])
        }
        shortfall = []
        var connection = 0
        for token in wanted.sorted() where !placed.contains(token) {
            while connection < connectionsMax, assigned[connection].count >= tokensPerConnection { connection += 1 }
            guard connection < connectionsMax else {
                shortfall.append(token)
                continue
            }
            assigned[connection].append(token)
        }
        for position in 0..<connectionsMax { assigned[position].sort() }
        return shortfall
    }

    /// Sets connection `connection`'s state.
    public mutating func set(_ connection: Int, _ state: State) {
        states[connection] = state
    }

    /// Whether connection `connection` is open (so ticks of its subscribed tokens may be used).
    public func isStreaming(_ connection: Int) -> Bool {
        if case .open = states[connection] { return true }
        return false
    }

    /// Checks the bounds every assignment keeps.
    public func checkInvariants() {
        var seen = Set<UInt32>()
        for (connection, tokens) in assigned.enumerated() {
            precondition(tokens.count <= tokensPerConnection, "connection \(connection) carries \(tokens.count) tokens")
            for token in tokens { precondition(seen.insert(token).inserted, "token \(token) on two connections") }
        }
    }
}
