import MarketSim
import Platform

/// A scenario: what to simulate, from when to when, with which seed.
///
/// Scenario files are JSON (see `Scenarios/README.md`); `ScenarioDecoder` reads and validates
/// them. Times are IST wall-clock times on the session date.
public struct Scenario: Sendable, Equatable {
    /// The schema versions this build understands.
    public static let schemaVersionsSupported: ClosedRange<Int> = 1...1

    public var schemaVersion: Int
    /// Short name, used in summaries and reports.
    public var name: String
    /// One line saying what the scenario is for.
    public var purpose: String
    /// Suites the scenario belongs to: `nightly` and `bench` scenarios are too long for every test run.
    public var tags: [String] = []
    /// The root seed: every random draw in the run derives from it.
    public var seed: UInt64
    /// The trading date simulated (IST).
    public var sessionDate: CivilDate
    /// Start of the simulated span, seconds after IST midnight.
    public var startSecondOfDay: Int
    /// End of the simulated span, seconds after IST midnight; after the start.
    public var endSecondOfDay: Int
    /// Index symbols to simulate, in the order given (e.g. `NIFTY`, `BANKNIFTY`).
    public var indices: [String]
    /// Interval of the kernel heartbeat, in seconds.
    public var heartbeatSeconds: Int
    /// The platform's collector; nil runs the kernel heartbeat only.
    public var collector: CollectorSection?
    /// The network between the platform and the broker.
    public var link: LinkFaults = .clean
    /// Simulated API clients; nil for none.
    public var load: LoadSection?
    /// How the mock broker misbehaves (errors, partial and stale quotes, maintenance, limits).
    public var broker: KiteBehaviourProfile = .perfect
    /// Market model overrides and scheduled market events; nil keeps the fixture's market.
    public var market: MarketSection?

    public init(
        schemaVersion: Int = 1, name: String, purpose: String, seed: UInt64, sessionDate: CivilDate,
        startSecondOfDay: Int, endSecondOfDay: Int, indices: [String], heartbeatSeconds: Int = 1
    ) {
        self.schemaVersion = schemaVersion
        self.name = name
        self.purpose = purpose
        self.seed = seed
        self.sessionDate = sessionDate
        self.startSecondOfDay = startSecondOfDay
        self.endSecondOfDay = endSecondOfDay
        self.indices = indices
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// The first simulated instant.
    public var start: Instant {
        ISO8601.instant(sessionDate, hour: 0, minute: 0, second: startSecondOfDay)
    }

    /// The last simulated instant.
    public var end: Instant {
        ISO8601.instant(sessionDate, hour: 0, minute: 0, second: endSecondOfDay)
    }

    /// Index symbols the harness can simulate.
    public static let indicesSupported = ["NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY", "SENSEX"]
}
