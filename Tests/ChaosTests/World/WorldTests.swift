import Platform
import Testing

@testable import Chaos

/// A component that schedules a fixed plan of timers at start and logs each one it receives.
private struct Recorder: SimComponent {
    let name: String
    let plan: [(tag: UInt64, offsetSeconds: Int64)]
    let cancelAtStart: [UInt64]

    func start(at now: Instant) -> [WorldEffect] {
        plan.map { .scheduleTimer(tag: $0.tag, at: now + .seconds($0.offsetSeconds)) }
            + cancelAtStart.map { .cancelTimer(tag: $0) }
    }

    func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        guard case .timer(let tag) = input else { return [] }
        return [.log(kind: "fired", fields: [LogField("tag", .int(Int64(tag)))])]
    }
}

@Suite struct WorldTests {
    static let start = Instant(secondsSinceEpoch: 1_795_491_900)

    private func firedTags(_ components: [any SimComponent], seconds: Int64 = 100) -> [String] {
        var lines: [String] = []
        var world = World(
            start: Self.start, end: Self.start + .seconds(seconds), components: components,
            log: EventLog(output: { bytes in lines.append(String(decoding: bytes, as: UTF8.self)) }))
        _ = world.run()
        return lines.joined().split(separator: "\n").compactMap { line in
            guard line.contains("\"fired\"") else { return nil }
            let component = line.contains("\"a\"") ? "a" : "b"
            let tag = line.split(separator: ":").last!.dropLast()
            return "\(component)\(tag)"
        }
    }

    @Test("events fire in time order, and same-instant ties in the order they were scheduled")
    func ordering() {
        let a = Recorder(name: "a", plan: [(1, 5), (2, 1), (3, 5), (4, 0)], cancelAtStart: [])
        let b = Recorder(name: "b", plan: [(1, 5), (2, 1)], cancelAtStart: [])
        #expect(firedTags([a, b]) == ["a4", "a2", "b2", "a1", "a3", "b1"])
    }

    @Test("a cancelled timer never fires and a rescheduled tag fires only at its new time")
    func cancellation() {
        let a = Recorder(name: "a", plan: [(1, 5), (2, 6), (2, 8)], cancelAtStart: [1])
        #expect(firedTags([a]) == ["a2"])
    }

    @Test("events after the end instant are not delivered")
    func endBound() {
        let a = Recorder(name: "a", plan: [(1, 10), (2, 11)], cancelAtStart: [])
        #expect(firedTags([a], seconds: 10) == ["a1"])
    }

    @Test("a run with nothing scheduled ends at once and says so")
    func emptyRun() {
        var world = World(start: Self.start, end: Self.start + .seconds(60), components: [], log: EventLog())
        let outcome = world.run()
        #expect(outcome.endReason == .nothingScheduled)
        #expect(outcome.steps == 0)
        #expect(outcome.events == 2)  // world/start and world/end
    }

    @Test("ties stay ordered by sequence number across many random plans", arguments: Array(0..<20) as [UInt64])
    func randomPlans(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let plan = (0..<50).map { tag in (tag: UInt64(tag), offsetSeconds: Int64(random.next(below: 5))) }
        let expected = plan.enumerated()
            .sorted { ($0.element.offsetSeconds, $0.offset) < ($1.element.offsetSeconds, $1.offset) }
            .map { "a\($0.element.tag)" }
        #expect(firedTags([Recorder(name: "a", plan: plan, cancelAtStart: [])]) == expected)
    }
}
