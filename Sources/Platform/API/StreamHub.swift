/// The `WS /v1/stream` protocol as a state machine: subscriptions, sequence numbers, resume, back-pressure.
///
/// How this works: the platform `publish`es updates (a chain, an analytics summary) per index and
/// channel; each gets the next global sequence number and is kept in a bounded history ring.
/// Connections subscribe to (index, channel) pairs with JSON text messages and receive every
/// matching update as `{"type":…,"sequence":…,"index":…,"at":…,"data":…}`, so a client that sees a
/// jump in `sequence` for its subscriptions knows it missed messages (sequence numbers are global,
/// so gaps are detected from the `last_sequence` that each message carries for its subscription).
/// `{"action":"resume","from_sequence":N}` replays retained messages after N, or says `gap` when N
/// is older than the history. A connection whose unacknowledged bytes exceed the limit is closed
/// (1013, try again later) instead of queueing without bound.
///
/// Client messages: `subscribe` / `unsubscribe` with `indices` and `channels` arrays, `resume`, `ping`.
public struct StreamHub: Sendable {
    public struct ConnectionID: Hashable, Comparable, Sendable {
        public var rawValue: UInt64
        public init(_ rawValue: UInt64) { self.rawValue = rawValue }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public enum Effect: Sendable, Equatable {
        case send(ConnectionID, String)
        case close(ConnectionID, code: UInt16, reason: String)
    }

    public static let channels = ["chain", "analytics"]

    struct Message: Sendable {
        var sequence: UInt64
        var index: String
        var channel: String
        /// The message without its closing brace: delivery appends `previous_sequence` and `}`.
        var openText: String
    }

    struct Connection: Sendable {
        var subscriptions: Set<String> = []  // "INDEX/channel"
        var unacknowledgedBytes = 0
        /// The sequence of the last message sent for each subscription key.
        var lastSent: [String: UInt64] = [:]
    }

    public let historyCapacity: Int
    public let unacknowledgedBytesMax: Int
    public let knownIndices: [String]
    private var history: [Message] = []
    private var historyStart = 0
    private var connections: [ConnectionID: Connection] = [:]
    public private(set) var lastSequence: UInt64 = 0

    public init(knownIndices: [String], historyCapacity: Int = 4096, unacknowledgedBytesMax: Int = 4 << 20) {
        precondition(historyCapacity > 0 && unacknowledgedBytesMax > 0, "stream hub bounds must be positive")
        self.knownIndices = knownIndices
        self.historyCapacity = historyCapacity
        self.unacknowledgedBytesMax = unacknowledgedBytesMax
    }

    public var connectionCount: Int { connections.count }

    public mutating func connect(_ id: ConnectionID) -> [Effect] {
        connections[id] = Connection()
        return [.send(id, #"{"type":"hello","last_sequence":\#(lastSequence),"channels":["chain","analytics"]}"#)]
    }

    public mutating func disconnect(_ id: ConnectionID) { connections[id] = nil }

    /// The transport wrote `bytes` of this connection's messages to the socket.
    public mutating func acknowledge(_ id: ConnectionID, bytes: Int) {
        guard connections[id] != nil else { return }
        connections[id]!.unacknowledgedBytes = max(0, connections[id]!.unacknowledgedBytes - bytes)
    }

    /// Handles one text message from a client.
    public mutating func receive(_ text: String, from id: ConnectionID) -> [Effect] {
        guard connections[id] != nil else { return [] }
        let message: JSONValue
        do {
            message = try JSONParser.parse(text)
        } catch {
            return [errorMessage(id, "bad_request", "message is not JSON: \(error.reason)")]
        }
        guard case .string(let action) = message["action"] else {
            return [errorMessage(id, "bad_request", "message needs an \"action\": subscribe, unsubscribe, resume or ping")]
        }
        switch action {
        case "subscribe", "unsubscribe":
            return subscription(message, action: action, id: id)
        case "resume":
            guard case .number(let number) = message["from_sequence"], let from = UInt64(number.text) else {
                return [errorMessage(id, "bad_request", "resume needs from_sequence, a non-negative integer")]
            }
            return resume(from: from, id: id)
        case "ping":
            return [.send(id, #"{"type":"pong","last_sequence":\#(lastSequence)}"#)]
        default:
            return [errorMessage(id, "bad_request", "unknown action \(JSONWriter.quoted(action)); use subscribe, unsubscribe, resume or ping")]
        }
    }

    private mutating func subscription(_ message: JSONValue, action: String, id: ConnectionID) -> [Effect] {
        guard case .array(let indexValues) = message["indices"], !indexValues.isEmpty else {
            return [errorMessage(id, "bad_request", "\(action) needs \"indices\", a non-empty array of index symbols")]
        }
        var indices: [String] = []
        for value in indexValues {
            guard case .string(let symbol) = value, knownIndices.contains(symbol) else {
                return [errorMessage(id, "not_found", "unknown index \(value.jsonText); known: \(knownIndices.joined(separator: ", "))")]
            }
            indices.append(symbol)
        }
        var channels = Self.channels
        if let value = message["channels"] {
            guard case .array(let items) = value else { return [errorMessage(id, "bad_request", "channels must be an array")] }
            channels = []
            for item in items {
                guard case .string(let channel) = item, Self.channels.contains(channel) else {
                    return [errorMessage(id, "bad_request", "unknown channel \(item.jsonText); use chain or analytics")]
                }
                channels.append(channel)
            }
        }
        for index in indices {
            for channel in channels {
                let key = "\(index)/\(channel)"
                if action == "subscribe" {
                    connections[id]!.subscriptions.insert(key)
                } else {
                    connections[id]!.subscriptions.remove(key)
                    connections[id]!.lastSent[key] = nil
                }
            }
        }
        let current = connections[id]!.subscriptions.sorted().map(JSONWriter.quoted).joined(separator: ",")
        return [.send(id, #"{"type":"\#(action)d","subscriptions":[\#(current)],"last_sequence":\#(lastSequence)}"#)]
    }

    private mutating func resume(from: UInt64, id: ConnectionID) -> [Effect] {
        var effects: [Effect] = []
        let oldest = history.first.map { $0.sequence } ?? lastSequence + 1
        if from + 1 < oldest {
            effects.append(.send(id, #"{"type":"gap","from_sequence":\#(from),"oldest_retained":\#(oldest)}"#))
        }
        for message in history where message.sequence > from {
            effects += deliver(message, to: id)
        }
        return effects
    }

    /// Publishes an update; `data` is the JSON object to embed. Returns the sends (and closes).
    public mutating func publish(channel: String, index: String, data: [UInt8], at now: Instant) -> [Effect] {
        precondition(Self.channels.contains(channel), "unknown stream channel \(channel)")
        lastSequence += 1
        var text: [UInt8] = []
        text.append(contentsOf: #"{"type":"#.utf8)
        JSONWriter.appendString(channel, to: &text)
        text.append(contentsOf: #","sequence":\#(lastSequence),"index":"#.utf8)
        JSONWriter.appendString(index, to: &text)
        text.append(contentsOf: #","at":"#.utf8)
        JSONWriter.appendString(now.description, to: &text)
        text.append(contentsOf: #","data":"#.utf8)
        text.append(contentsOf: data)
        let message = Message(sequence: lastSequence, index: index, channel: channel, openText: String(decoding: text, as: UTF8.self))
        history.append(message)
        if history.count > historyCapacity { history.removeFirst(history.count - historyCapacity) }
        var effects: [Effect] = []
        for id in connections.keys.sorted() where connections[id]!.subscriptions.contains("\(index)/\(channel)") {
            effects += deliver(message, to: id)
        }
        return effects
    }

    private mutating func deliver(_ message: Message, to id: ConnectionID) -> [Effect] {
        guard var connection = connections[id] else { return [] }
        let key = "\(message.index)/\(message.channel)"
        guard connection.subscriptions.contains(key) else { return [] }
        let previous = connection.lastSent[key] ?? 0
        guard message.sequence > previous else { return [] }  // never send the same message twice
        // Each message says which sequence came before it on this subscription, so gaps are visible.
        let text = message.openText + #","previous_sequence":\#(previous)}"#
        connection.lastSent[key] = message.sequence
        connection.unacknowledgedBytes += text.utf8.count
        if connection.unacknowledgedBytes > unacknowledgedBytesMax {
            connections[id] = nil
            return [.close(id, code: 1013, reason: "slow consumer: more than \(unacknowledgedBytesMax) bytes unread")]
        }
        connections[id] = connection
        return [.send(id, text)]
    }

    private func errorMessage(_ id: ConnectionID, _ type: String, _ message: String) -> Effect {
        .send(id, #"{"type":"error","error_type":\#(JSONWriter.quoted(type)),"message":\#(JSONWriter.quoted(message))}"#)
    }
}
