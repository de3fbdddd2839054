/// The collector's ticker source: connections, subscriptions and the tick book.
///
/// How this works: indices configured with `source: .ticker` have their option contracts
/// streamed. At each poll, after the cycle's contracts are planned and prioritised,
/// `streamFromTicks` (1) assigns the wanted option tokens to connections (≤ 3 × 3,000; the rest
/// is logged as ticker shortfall and stays on REST), (2) opens idle connections and sends
/// subscribe/unsubscribe/mode for tokens that entered or left the ATM window, and (3) takes out
/// of the REST plan every contract with a fresh tick on an open connection, cutting its quote
/// from the book. What remains — the spot and futures (their tokens are not in the derivatives
/// dump), tokens not yet ticked, and every token of a dropped connection — is polled over REST
/// in the same cycle, so a disconnect loses no interval. A closed connection reconnects after
/// full-jitter backoff. Configs without a ticker index never reach any of this.
struct CollectorTicker: Sendable, Equatable {
    var connections: TickerConnections
    var book = TickBook()
    var lastShortfall = 0
    var framesDecoded = 0
    var disconnects = 0
    /// Contracts whose quote was cut from the stream, over the run.
    var streamedQuotes = 0
    /// Contracts of ticker indices that REST had to fill, over the run.
    var restFilledQuotes = 0

    init(config: CollectorConfig) {
        connections = TickerConnections(connectionsMax: config.tickerConnectionsMax,
                                        tokensPerConnection: config.tickerTokensPerConnection)
    }
}

/// Planned cycle entries, in priority order.
typealias CycleEntry = (key: String, planned: Cycle.Planned)

extension Collector {
    static var tickerBackoff: Backoff { Backoff(base: .seconds(1), cap: .seconds(30)) }

    /// Whether any configured index streams from the ticker.
    var usesTicker: Bool { config.indices.contains { $0.source == .ticker } }

    /// Moves the entries a fresh tick covers out of `entries`; returns them with their quotes.
    mutating func streamFromTicks(_ entries: inout [CycleEntry], at now: Instant)
        -> (entries: [CycleEntry], tops: [BrokerQuoteTop], effects: [Effect])
    {
        guard usesTicker else { return ([], [], []) }
        func isStreamedOption(_ entry: CycleEntry) -> Bool {
            entry.planned.option != nil && universe[entry.planned.index].index.source == .ticker
        }
        let wanted = entries.filter(isStreamedOption).map { $0.planned.option!.token }
        var effects: [Effect] = []
        let shortfall = ticker.connections.assign(wanted)
        if shortfall.count != ticker.lastShortfall {
            ticker.lastShortfall = shortfall.count
            effects.append(log("ticker_shortfall", ("tokens", .int(Int64(shortfall.count))),
                               ("capacity", .int(Int64(config.tickerConnectionsMax * config.tickerTokensPerConnection)))))
        }
        ticker.connections.checkInvariants()
        effects += syncConnections(at: now)
        var connectionOf: [UInt32: Int] = [:]
        for (connection, tokens) in ticker.connections.assigned.enumerated() where ticker.connections.isStreaming(connection) {
            for token in tokens { connectionOf[token] = connection }
        }
        var streamed: [CycleEntry] = []
        var tops: [BrokerQuoteTop] = []
        let maxAge = config.pollInterval + .seconds(1)
        entries.removeAll { entry in
            guard isStreamedOption(entry) else { return false }
            let token = entry.planned.option!.token
            guard connectionOf[token] != nil, let tick = ticker.book.fresh(token, at: now, maxAge: maxAge) else {
                ticker.restFilledQuotes += 1
                return false
            }
            streamed.append(entry)
            tops.append(BrokerQuoteTop(tick.quote(key: entry.key)))
            return true
        }
        ticker.streamedQuotes += streamed.count
        return (streamed, tops, effects)
    }

    /// Opens connections that have tokens, closes ones that have none, and re-subscribes open ones.
    mutating func syncConnections(at now: Instant) -> [Effect] {
        var effects: [Effect] = []
        for connection in 0..<ticker.connections.connectionsMax {
            let tokens = ticker.connections.assigned[connection]
            switch ticker.connections.states[connection] {
            case .idle where !tokens.isEmpty:
                effects += connect(connection, attempt: 0)
            case .open(let subscribed) where tokens.isEmpty:
                ticker.connections.set(connection, .idle)
                ticker.book.drop(connection: connection)
                effects.append(.ticker(.close(connection: connection)))
                effects.append(log("ticker_closed", ("connection", .int(Int64(connection))), ("tokens", .int(Int64(subscribed.count)))))
            case .open(let subscribed):
                let wanted = Set(tokens)
                let removed = subscribed.subtracting(wanted).sorted()
                let added = wanted.subtracting(subscribed).sorted()
                guard !removed.isEmpty || !added.isEmpty else { continue }
                ticker.connections.set(connection, .open(subscribed: wanted))
                ticker.book.drop(tokens: removed)
                if !removed.isEmpty { effects.append(.ticker(.send(connection: connection, text: KiteTickerRequestText.unsubscribe(removed)))) }
                effects += subscribe(connection, added)
                effects.append(log("ticker_resubscribed", ("connection", .int(Int64(connection))),
                                   ("added", .int(Int64(added.count))), ("removed", .int(Int64(removed.count)))))
            case .idle, .connecting, .waiting:
                continue
            }
        }
        return effects
    }

    mutating func connect(_ connection: Int, attempt: Int) -> [Effect] {
        guard let token = client.session?.accessToken else {
            return waitToReconnect(connection, attempt: attempt + 1, at: nil)
        }
        ticker.connections.set(connection, .connecting(attempt: attempt))
        return [.ticker(.connect(connection: connection, accessToken: token)),
                log("ticker_connecting", ("connection", .int(Int64(connection))), ("attempt", .int(Int64(attempt))))]
    }

    func subscribe(_ connection: Int, _ tokens: [UInt32]) -> [Effect] {
        guard !tokens.isEmpty else { return [] }
        return [.ticker(.send(connection: connection, text: KiteTickerRequestText.subscribe(tokens))),
                .ticker(.send(connection: connection, text: KiteTickerRequestText.mode(.full, tokens)))]
    }

    /// Schedules a reconnect after full-jitter backoff (`at` nil: no session yet, retry in a second).
    mutating func waitToReconnect(_ connection: Int, attempt: Int, at now: Instant?) -> [Effect] {
        guard let now else { return [] }  // no session: the next poll's sync finds the connection idle
        let until = now + .seconds(1) + Self.tickerBackoff.delay(attempt: attempt, random: &random)
        ticker.connections.set(connection, .waiting(attempt: attempt, until: until))
        return [.schedule(.tickerReconnect(connection), at: until)]
    }

    /// Handles one event from a ticker connection.
    mutating func tickerEvent(_ event: TickerEvent, at now: Instant) -> [Effect] {
        switch event {
        case .opened(let connection):
            guard case .connecting = ticker.connections.states[connection] else {
                return [.ticker(.close(connection: connection)), log("ticker_unexpected_open", ("connection", .int(Int64(connection))))]
            }
            let tokens = ticker.connections.assigned[connection]
            ticker.connections.set(connection, .open(subscribed: Set(tokens)))
            return [log("ticker_open", ("connection", .int(Int64(connection))), ("tokens", .int(Int64(tokens.count))))]
                + subscribe(connection, tokens)
        case .closed(let connection, let reason):
            ticker.book.drop(connection: connection)
            let attempt: Int
            switch ticker.connections.states[connection] {
            case .idle, .waiting: return []
            case .connecting(let previous): attempt = previous + 1
            case .open: attempt = 1
            }
            ticker.disconnects += 1
            metrics.fail("ticker_disconnect")
            return [log("ticker_disconnected", ("connection", .int(Int64(connection))), ("reason", .string(reason)))]
                + waitToReconnect(connection, attempt: attempt, at: now)
        case .binary(let connection, let bytes):
            guard case .open(let subscribed) = ticker.connections.states[connection] else { return [] }
            do throws(KiteTickerDecodeError) {
                guard case .ticks(let ticks, _) = try KiteTickerDecoder.decode(binary: bytes) else { return [] }
                ticker.framesDecoded += 1
                // Only full-mode ticks carry depth, OI and the exchange time a row needs; others wait for REST.
                for tick in ticks where tick.mode == .full && subscribed.contains(tick.instrumentToken) {
                    ticker.book.record(tick, connection: connection, at: now)
                }
                return []
            } catch {
                metrics.fail("ticker_malformed")
                return [log("ticker_frame_malformed", ("connection", .int(Int64(connection))), ("error", .string(error.description)))]
            }
        case .text(let connection, let bytes):
            do throws(KiteTickerDecodeError) {
                switch try KiteTickerDecoder.decode(text: bytes) {
                case .error(let message):
                    return [log("ticker_error", ("connection", .int(Int64(connection))), ("message", .string(message)))]
                case .heartbeat, .ticks, .order, .notice:
                    return []
                }
            } catch {
                metrics.fail("ticker_malformed")
                return [log("ticker_text_malformed", ("connection", .int(Int64(connection))), ("error", .string(error.description)))]
            }
        }
    }

    /// A reconnect timer fired: open the connection again if it still has tokens.
    mutating func tickerReconnect(_ connection: Int, at now: Instant) -> [Effect] {
        guard case .waiting(let attempt, _) = ticker.connections.states[connection] else { return [] }
        guard !ticker.connections.assigned[connection].isEmpty else {
            ticker.connections.set(connection, .idle)
            return []
        }
        return connect(connection, attempt: attempt)
    }
}

/// Counters of the ticker source, for run summaries and `/metrics`.
public struct TickerMetrics: Sendable, Equatable {
    /// Option quotes cut from the stream.
    public var streamedQuotes: Int
    /// Option quotes of ticker indices that REST had to fill (not yet ticked, or a connection down).
    public var restFilledQuotes: Int
    public var disconnects: Int
    public var framesDecoded: Int
    /// Wanted tokens beyond the connections' capacity at the last cycle.
    public var shortfallTokens: Int
}

extension Collector {
    /// The ticker source's counters (all zero when no index streams).
    public var tickerMetrics: TickerMetrics {
        TickerMetrics(streamedQuotes: ticker.streamedQuotes, restFilledQuotes: ticker.restFilledQuotes,
                      disconnects: ticker.disconnects, framesDecoded: ticker.framesDecoded,
                      shortfallTokens: ticker.lastShortfall)
    }

    /// Why the stream is degraded — a connection with assigned tokens that is not open (REST fills
    /// its contracts meanwhile) — or nil when every such connection streams.
    var tickerConnectionDown: String? {
        guard usesTicker else { return nil }
        let connections = ticker.connections
        for connection in 0..<connections.connectionsMax
        where !connections.assigned[connection].isEmpty && !connections.isStreaming(connection) {
            return "ticker connection \(connection) down; REST polls its \(connections.assigned[connection].count) contracts"
        }
        return nil
    }

    /// The ticker connections' assignment and states.
    public var tickerConnections: TickerConnections { ticker.connections }
}
