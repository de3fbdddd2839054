/// How the mock broker misbehaves: latency, injected errors, partial and stale quotes, maintenance.
///
/// A value decoded from a scenario's `broker` section. Every decision it drives is a pure
/// function of (seed, decision kind, request sequence number) through `CounterRandom`, so a run
/// replays exactly. The default profile is a perfect broker: no latency, no faults, Kite's limits.
public struct KiteBehaviourProfile: Sendable, Equatable {
    /// Server latency distribution.
    public var latency: KiteLatency
    /// Injected error answers, tried in order; each with its own probability per request.
    public var faults: [KiteInjectedFault]
    /// Probability that a quote response leaves out some of the instruments it could answer.
    public var partialQuoteProbability: Double
    /// Fraction of the instruments left out of a partial quote response (0…1).
    public var partialDropFraction: Double
    /// Probability that a quote response is served from an older snapshot.
    public var staleQuoteProbability: Double
    /// How old a stale snapshot is, in nanoseconds.
    public var staleAgeNanoseconds: Int64
    /// Daily windows (IST) in which every API call answers 503 NetworkException.
    public var maintenanceWindows: [KiteMaintenanceWindow]
    /// Rate limits, Kite's own unless overridden.
    public var rateLimits: KiteRateLimits

    public init(latency: KiteLatency = .none, faults: [KiteInjectedFault] = [],
                partialQuoteProbability: Double = 0, partialDropFraction: Double = 0.1,
                staleQuoteProbability: Double = 0, staleAgeNanoseconds: Int64 = 5_000_000_000,
                maintenanceWindows: [KiteMaintenanceWindow] = [], rateLimits: KiteRateLimits = .kite) {
        self.latency = latency
        self.faults = faults
        self.partialQuoteProbability = partialQuoteProbability
        self.partialDropFraction = partialDropFraction
        self.staleQuoteProbability = staleQuoteProbability
        self.staleAgeNanoseconds = staleAgeNanoseconds
        self.maintenanceWindows = maintenanceWindows
        self.rateLimits = rateLimits
    }

    /// A perfect broker with Kite's rate limits.
    public static let perfect = KiteBehaviourProfile()
}

/// A latency distribution for server responses, in nanoseconds.
public enum KiteLatency: Sendable, Equatable {
    /// Instant answers.
    case none
    /// Always the same delay.
    case fixed(nanoseconds: Int64)
    /// Log-normal: `median × e^(sigma·Z)`, capped at `maxNanoseconds`.
    case logNormal(medianNanoseconds: Int64, sigma: Double, maxNanoseconds: Int64)

    /// The delay for draw `index` (a request sequence number) under `random`.
    public func sample(_ random: CounterRandom, index: UInt64) -> Int64 {
        switch self {
        case .none: return 0
        case .fixed(let nanoseconds): return nanoseconds
        case .logNormal(let median, let sigma, let cap):
            let z = random.normal(stream: KiteBehaviourProfile.latencyStream, index: index)
            let value = Double(median) * PortableMath.exp(sigma * z)
            return value >= Double(cap) ? cap : Int64(value)
        }
    }
}

/// One kind of injected error: its `error_type`, HTTP status and probability per request.
public struct KiteInjectedFault: Sendable, Equatable {
    public var type: KiteErrorType
    public var httpStatus: Int
    /// Chance in [0, 1] that a given request gets this error.
    public var probability: Double
    /// Restrict to one route family, or nil for every authenticated route.
    public var family: KiteRouteFamily?

    public init(_ type: KiteErrorType, probability: Double, httpStatus: Int? = nil, family: KiteRouteFamily? = nil) {
        precondition((0...1).contains(probability), "fault probability \(probability) outside 0…1")
        self.type = type
        self.httpStatus = httpStatus ?? type.defaultHTTPStatus
        self.probability = probability
        self.family = family
    }
}

/// A daily maintenance window in IST, `[startSecondOfDay, endSecondOfDay)`.
public struct KiteMaintenanceWindow: Sendable, Equatable {
    public var startSecondOfDay: Int
    public var endSecondOfDay: Int

    public init(startSecondOfDay: Int, endSecondOfDay: Int) {
        precondition(0 <= startSecondOfDay && startSecondOfDay < endSecondOfDay && endSecondOfDay <= 86_400,
                     "maintenance window \(startSecondOfDay)..<\(endSecondOfDay) is not within one day")
        self.startSecondOfDay = startSecondOfDay
        self.endSecondOfDay = endSecondOfDay
    }

    /// Whether `instant` falls inside the window.
    public func contains(_ instant: KiteInstant) -> Bool {
        (startSecondOfDay..<endSecondOfDay).contains(instant.istSecondOfDay)
    }
}

extension KiteBehaviourProfile {
    static let latencyStream = CounterRandom.stream("broker/latency")
    static let faultStream = CounterRandom.stream("broker/fault")
    static let partialStream = CounterRandom.stream("broker/partial")
    static let staleStream = CounterRandom.stream("broker/stale")

    /// The injected fault (if any) for request `sequence` on `family`.
    func fault(_ random: CounterRandom, sequence: UInt64, family: KiteRouteFamily) -> KiteInjectedFault? {
        for (position, fault) in faults.enumerated() where fault.probability > 0 {
            if let only = fault.family, only != family { continue }
            let stream = CounterRandom.stream(KiteBehaviourProfile.faultStream, UInt64(position))
            if random.uniform(stream: stream, index: sequence) < fault.probability { return fault }
        }
        return nil
    }
}
