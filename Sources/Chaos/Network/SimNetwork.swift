import Platform

/// Byte streams between simulated clients and servers in virtual time, with injectable faults.
///
/// How this works: each connection has two directions (client → server, server → client). A
/// `send` cuts the bytes into segments and schedules each one's arrival at
/// `max(now + latency + jitter, previous arrival in that direction)` (plus a retransmit delay if
/// dropped, plus the reader's pace if it is slow), so a stream always arrives in order, as TCP
/// guarantees. Resets and truncations end the stream early. `nextDelivery()` pops arrivals in
/// (instant, sequence) order, so a run is a pure function of the seed and the calls made.
/// Rule kept: at most `pendingSegmentsMax` segments in flight; more is a programmer error.
public struct SimNetwork {
    public static let pendingSegmentsMax = 1 << 20

    /// One end of a connection.
    public enum Side: Sendable, Equatable {
        case client
        case server

        public var other: Side { self == .client ? .server : .client }
    }

    /// What arrives at one end.
    public enum Payload: Sendable, Equatable {
        case bytes([UInt8])
        /// The peer closed its sending direction (after everything it sent arrived).
        case closed
        /// The connection was reset: nothing more arrives either way.
        case reset
    }

    /// One arrival: when, on which connection, at which end, and what.
    public struct Delivery: Sendable, Equatable {
        public var time: Instant
        public var connection: Int
        public var to: Side
        public var payload: Payload
    }

    struct Direction {
        var lastArrival = Instant.epoch
        var closed = false
    }

    struct Connection {
        var toServer = Direction()
        var toClient = Direction()
        var reset = false

        subscript(to side: Side) -> Direction {
            get { side == .server ? toServer : toClient }
            set { if side == .server { toServer = newValue } else { toClient = newValue } }
        }
    }

    public let faults: NetworkFaults
    private var random: SplitMix64
    private var connections: [Connection] = []
    private var pending: [(delivery: Delivery, sequence: UInt64)] = []
    private var nextSequence: UInt64 = 0

    public init(seed: UInt64, faults: NetworkFaults = .none) {
        self.random = SplitMix64(seed: seed)
        self.faults = faults
    }

    /// Opens a connection and returns its id (connection set-up itself takes no time).
    public mutating func connect() -> Int {
        connections.append(Connection())
        return connections.count - 1
    }

    /// True once the connection was reset.
    public func isReset(_ connection: Int) -> Bool { connections[connection].reset }

    /// Sends `bytes` from `side` on `connection` at `now`; ignored after a reset or the side's close.
    public mutating func send(_ bytes: [UInt8], on connection: Int, from side: Side, at now: Instant) {
        let to = side.other
        guard !connections[connection].reset, !connections[connection][to: to].closed, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let length = 1 + Int(random.next(below: UInt64(min(faults.segmentBytesMax, bytes.count - offset))))
            var segment = Array(bytes[offset..<offset + length])
            offset += length
            var arrival = max(now + faults.latency + jitter(), connections[connection][to: to].lastArrival)
            if random.nextBool(probability: faults.dropProbability) { arrival = arrival + faults.retransmitDelay }
            if let rate = faults.slowReadBytesPerSecond {
                let readTime = Duration.nanoseconds(Int64(segment.count) * 1_000_000_000 / Int64(max(rate, 1)))
                arrival = max(arrival, connections[connection][to: to].lastArrival + readTime)
            }
            connections[connection][to: to].lastArrival = arrival
            if random.nextBool(probability: faults.resetProbability) {
                connections[connection].reset = true
                // Whatever would have arrived after the reset never does.
                pending.removeAll { $0.delivery.connection == connection && $0.delivery.time >= arrival }
                schedule(Delivery(time: arrival, connection: connection, to: .client, payload: .reset))
                schedule(Delivery(time: arrival, connection: connection, to: .server, payload: .reset))
                return
            }
            if random.nextBool(probability: faults.truncateProbability) {
                segment = Array(segment.prefix(Int(random.next(below: UInt64(segment.count)))))
                if !segment.isEmpty { schedule(Delivery(time: arrival, connection: connection, to: to, payload: .bytes(segment))) }
                close(connection, from: side, at: arrival)
                return
            }
            schedule(Delivery(time: arrival, connection: connection, to: to, payload: .bytes(segment)))
        }
    }

    /// Closes `side`'s sending direction; the peer sees `.closed` after all earlier bytes.
    public mutating func close(_ connection: Int, from side: Side, at now: Instant) {
        let to = side.other
        guard !connections[connection].reset, !connections[connection][to: to].closed else { return }
        connections[connection][to: to].closed = true
        let arrival = max(now + faults.latency, connections[connection][to: to].lastArrival)
        schedule(Delivery(time: arrival, connection: connection, to: to, payload: .closed))
    }

    /// The earliest pending arrival, removed; nil when nothing is in flight.
    public mutating func nextDelivery() -> Delivery? {
        guard !pending.isEmpty else { return nil }
        var best = 0
        for index in pending.indices.dropFirst() {
            let a = pending[index]
            let b = pending[best]
            if (a.delivery.time, a.sequence) < (b.delivery.time, b.sequence) { best = index }
        }
        return pending.remove(at: best).delivery
    }

    /// Segments in flight.
    public var pendingCount: Int { pending.count }

    private mutating func jitter() -> Duration {
        guard faults.jitterMax > .zero else { return .zero }
        let range = UInt64(faults.jitterMax.components.seconds) * 1_000_000_000
            + UInt64(faults.jitterMax.components.attoseconds / 1_000_000_000)
        return .nanoseconds(Int64(random.next(below: range + 1)))
    }

    private mutating func schedule(_ delivery: Delivery) {
        precondition(pending.count < SimNetwork.pendingSegmentsMax, "more than \(SimNetwork.pendingSegmentsMax) segments in flight")
        pending.append((delivery, nextSequence))
        nextSequence += 1
    }
}
