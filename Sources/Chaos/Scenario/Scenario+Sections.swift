import Platform

extension Scenario {
    /// The scenario's `collector` section: what the platform collects and how fast.
    public struct CollectorSection: Sendable, Equatable {
        /// Strikes each side of ATM (±N), 0…200.
        public var strikesEachSide: Int = 20
        /// Expiry buckets to collect.
        public var buckets: [ExpiryBucket] = ExpiryBucket.allCases
        /// Snapshot cadence in milliseconds, 100…60000.
        public var pollIntervalMilliseconds: Int = 1000
        public var atmSource: ATMSource = .future
        /// The quote budget the collector paces itself to.
        public var quoteRequestsPerSecond: Double = 1
        /// Per-index quote source (`collector.sources`); indices not listed poll REST.
        public var sources: [(symbol: String, source: CollectorSource)] = []

        public init() {}

        public static func == (lhs: CollectorSection, rhs: CollectorSection) -> Bool {
            lhs.strikesEachSide == rhs.strikesEachSide && lhs.buckets == rhs.buckets
                && lhs.pollIntervalMilliseconds == rhs.pollIntervalMilliseconds && lhs.atmSource == rhs.atmSource
                && lhs.quoteRequestsPerSecond == rhs.quoteRequestsPerSecond
                && lhs.sources.map(\.symbol) == rhs.sources.map(\.symbol) && lhs.sources.map(\.source) == rhs.sources.map(\.source)
        }

        /// The collector configuration for `indices`, seeded from the run seed.
        public func config(indices: [String], seed: UInt64) -> CollectorConfig {
            let collected = indices.compactMap { symbol -> CollectorIndex? in
                guard var index = CollectorIndex.standard(symbol, strikesEachSide: strikesEachSide) else { return nil }
                index.buckets = buckets
                index.source = sources.first { $0.symbol == symbol }?.source ?? .rest
                return index
            }
            return CollectorConfig(
                indices: collected, pollInterval: .milliseconds(pollIntervalMilliseconds),
                quoteRequestsPerSecond: quoteRequestsPerSecond, atmSource: atmSource, seed: seed)
        }
    }
}

extension Scenario {
    /// The scenario's `load` section: simulated API clients.
    public struct LoadSection: Sendable, Equatable {
        /// Number of clients, each with its own seeded arrivals.
        public var clients: Int = 1
        /// Mean requests per second per client (Poisson arrivals).
        public var requestsPerSecond: Double = 1
        /// Routes drawn uniformly: chain, analytics, surface, history, indices, expiries.
        public var routes: [String] = APILoadClient.routeNames

        public init() {}
    }
}
