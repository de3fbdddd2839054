import Platform

/// What the simulated network does to bytes in flight; every field is off (zero) by default.
///
/// Probabilities apply per segment (one simulated packet's worth of a write), drawn from the
/// network's seeded generator, so a seed replays the same faults.
public struct NetworkFaults: Sendable, Equatable {
    /// One-way delay of every segment.
    public var latency: Duration
    /// Extra delay drawn uniformly from [0, jitterMax] per segment (order is still preserved).
    public var jitterMax: Duration
    /// Writes are cut into segments of 1...segmentBytesMax bytes, so receivers see arbitrary splits.
    public var segmentBytesMax: Int
    /// A segment is lost and retransmitted after `retransmitDelay` (TCP keeps the stream whole).
    public var dropProbability: Double
    public var retransmitDelay: Duration
    /// The connection is reset when this segment would arrive; both ends see `.reset`.
    public var resetProbability: Double
    /// Only a prefix of this segment arrives, then the sender's direction closes.
    public var truncateProbability: Double
    /// The receiver takes at most this many bytes per second (nil: unlimited), as a slow reader.
    public var slowReadBytesPerSecond: Int?

    public init(
        latency: Duration = .zero, jitterMax: Duration = .zero, segmentBytesMax: Int = 1460,
        dropProbability: Double = 0, retransmitDelay: Duration = .milliseconds(200), resetProbability: Double = 0,
        truncateProbability: Double = 0, slowReadBytesPerSecond: Int? = nil
    ) {
        precondition(segmentBytesMax >= 1, "segmentBytesMax \(segmentBytesMax) < 1")
        self.latency = latency
        self.jitterMax = jitterMax
        self.segmentBytesMax = segmentBytesMax
        self.dropProbability = dropProbability
        self.retransmitDelay = retransmitDelay
        self.resetProbability = resetProbability
        self.truncateProbability = truncateProbability
        self.slowReadBytesPerSecond = slowReadBytesPerSecond
    }

    /// A perfect network: no delay, no loss, 1460-byte segments.
    public static let none = NetworkFaults()
}
