import Platform

/// A kernel self-test component: beats at a fixed interval with a seeded random walk.
///
/// Until the market and platform components are wired in, the heartbeat exercises the scheduler,
/// the seeded randomness and the event log end to end: each beat logs its number and a level that
/// moves by a seeded step, so the digest changes with the seed and nothing else.
public struct Heartbeat: SimComponent {
    public let name = "heartbeat"
    public let interval: Duration
    private var random: SplitMix64
    private var beats: Int64 = 0
    /// A random walk in whole paise starting at ₹10,000.00.
    private var levelPaise: Int64 = 1_000_000

    public init(interval: Duration, seed: UInt64) {
        precondition(interval > .zero, "heartbeat interval must be positive, got \(interval)")
        self.interval = interval
        self.random = SplitMix64.keyed(seed, label: "heartbeat")
    }

    public mutating func start(at now: Instant) -> [WorldEffect] {
        [
            .log(kind: "start", fields: [LogField("interval_ns", .int(interval.wholeNanoseconds))]),
            .scheduleTimer(tag: 0, at: now),
        ]
    }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        guard case .timer = input else { return [] }
        beats += 1
        levelPaise += random.next(in: -500...500)
        return [
            .log(kind: "beat", fields: [LogField("n", .int(beats)), LogField("level_paise", .int(levelPaise))]),
            .scheduleTimer(tag: 0, at: now + interval),
        ]
    }
}
