import MarketSim
import Platform

/// Network behaviour between the platform and the broker: latency and the faults a link can have.
///
/// All probabilities are per request, in [0, 1]. Latency is one-way and log-normal, given by its
/// median and 99th percentile in milliseconds. Draws come from `CounterRandom` keyed by the run
/// seed and the request's sequence number, so a run replays exactly.
public struct LinkFaults: Sendable, Equatable {
    public var latencyMedianMilliseconds: Double
    public var latencyP99Milliseconds: Double
    /// The request is lost: the client sees a timeout at its deadline.
    public var dropProbability: Double
    /// The connection is reset before a response: the client sees `connectionReset`.
    public var resetProbability: Double
    /// The response body is cut at a random byte (HTTP framing intact): "truncated JSON".
    public var truncateProbability: Double
    /// Spans during which the broker cannot be reached at all (`connectionRefused`).
    public var outages: [ClosedRange<Instant>]
    /// Ticker connections dropped per hour per connection (Poisson, drawn each virtual second).
    public var tickerDisconnectsPerHour: Double = 0
    /// Instants at which every open ticker connection is dropped.
    public var tickerDisconnects: [Instant] = []

    public init(
        latencyMedianMilliseconds: Double = 20, latencyP99Milliseconds: Double = 80, dropProbability: Double = 0,
        resetProbability: Double = 0, truncateProbability: Double = 0, outages: [ClosedRange<Instant>] = []
    ) {
        precondition(latencyMedianMilliseconds > 0 && latencyP99Milliseconds >= latencyMedianMilliseconds,
                     "latency median \(latencyMedianMilliseconds) ms must be positive and ≤ p99 \(latencyP99Milliseconds) ms")
        self.latencyMedianMilliseconds = latencyMedianMilliseconds
        self.latencyP99Milliseconds = latencyP99Milliseconds
        self.dropProbability = dropProbability
        self.resetProbability = resetProbability
        self.truncateProbability = truncateProbability
        self.outages = outages
    }

    /// A fault-free link with the default latency.
    public static let clean = LinkFaults()

    /// The 99th-percentile z-score of the standard normal.
    static let z99 = 2.326_347_874_040_841

    /// One-way latency for draw `index` of `stream`, in whole microseconds.
    func latency(random: CounterRandom, stream: UInt64, index: UInt64) -> Duration {
        let sigma = PortableMath.log(latencyP99Milliseconds / latencyMedianMilliseconds) / Self.z99
        let z = random.normal(stream: stream, index: index)
        let milliseconds = latencyMedianMilliseconds * PortableMath.exp(sigma * z)
        return .microseconds(Int64((milliseconds * 1000).rounded()))
    }

    func isInOutage(_ instant: Instant) -> Bool {
        outages.contains { $0.contains(instant) }
    }
}
