import Platform

/// The discrete-event simulation: components, a virtual clock and the event log.
///
/// How this works: `run()` starts every component at the start instant, then pops events in
/// (instant, sequence) order, advances the virtual clock to each event's instant, delivers it,
/// and applies the effects it returns. The run ends at the end instant or when no event is left.
/// Nothing here reads a wall clock or spawns a thread, so a run is a pure function of the
/// scenario and seed. Rules kept: time never goes backwards; an event after `end` is never
/// delivered; the queue never grows beyond `pendingEventsMax`.
public struct World {
    /// Bound on pending events; a component that schedules without limit is a programmer error.
    public static let pendingEventsMax = 1 << 22

    public let start: Instant
    public let end: Instant
    public private(set) var now: Instant
    public private(set) var log: EventLog
    /// Number of inputs delivered to components so far (start calls excluded).
    public private(set) var steps: Int = 0

    private var components: [any SimComponent]
    private var queue = EventQueue()
    /// The live sequence number of each (component, tag) timer; stale heap entries are skipped.
    private var liveTimers: [TimerKey: UInt64] = [:]
    /// Messages queued and not yet delivered.
    private var pendingMessages = 0

    private struct TimerKey: Hashable {
        var component: Int
        var tag: UInt64
    }

    private let header: [LogField]

    /// `header` fields are logged as the run's first line (`world/start`): the seed and every
    /// parameter derived from it, so a log alone says how to replay the run.
    public init(
        start: Instant, end: Instant, components: [any SimComponent], log: EventLog,
        header: [LogField] = []
    ) {
        precondition(start <= end, "world start \(start) is after its end \(end)")
        self.start = start
        self.end = end
        self.now = start
        self.components = components
        self.log = log
        self.header = header
    }

    /// The component named `name` as it is now (after `run`, its final state).
    public func component(named name: String) -> (any SimComponent)? {
        components.first { $0.name == name }
    }

    /// Runs to the end instant and returns what happened. `progress`, if given, is told the
    /// virtual time each time it passes a whole minute; it observes only (for a progress line on a
    /// terminal) and cannot change the run.
    public mutating func run(progress: ((Instant) -> Void)? = nil) -> RunOutcome {
        var nextReport = start + .seconds(60)
        log.record(
            LogEvent(
                time: now, component: "world", kind: "start",
                fields: header.map { ($0.key, $0.value) } + [("end", .instant(end))]))
        for index in components.indices {
            let effects = components[index].start(at: now)
            apply(effects, from: index)
        }
        while let entry = queue.first, entry.time <= end {
            _ = queue.pop()
            if case .timer(let tag) = entry.input {
                let key = TimerKey(component: entry.component, tag: tag)
                guard liveTimers[key] == entry.sequence else { continue }  // cancelled or replaced
                liveTimers[key] = nil
            } else {
                pendingMessages -= 1
            }
            step(entry)
            if let progress, now >= nextReport {
                progress(now)
                while nextReport <= now { nextReport = nextReport + .seconds(60) }
            }
        }
        let reason: RunOutcome.EndReason = liveTimers.isEmpty && pendingMessages == 0 ? .nothingScheduled : .reachedEnd
        log.record(
            LogEvent(
                time: now, component: "world", kind: "end",
                fields: [("reason", .string(reason.rawValue)), ("steps", .int(Int64(steps)))]))
        return RunOutcome(
            endReason: reason, start: start, end: end, lastEventTime: now, steps: steps,
            events: log.eventCount, digest: log.digest(), invariants: log.invariantResults())
    }

    private mutating func step(_ entry: EventQueue.Entry) {
        precondition(entry.time >= now, "virtual time went backwards: \(entry.time) < \(now)")
        now = entry.time
        steps += 1
        let effects = components[entry.component].handle(entry.input, at: now)
        apply(effects, from: entry.component)
        #if DEBUG
            if steps % 4096 == 0 { queue.checkInvariants() }
        #endif
    }

    private mutating func apply(_ effects: [WorldEffect], from component: Int) {
        for effect in effects {
            switch effect {
            case .scheduleTimer(let tag, let at):
                let time = max(at, now)
                let sequence = queue.push(time: time, component: component, input: .timer(tag: tag))
                liveTimers[TimerKey(component: component, tag: tag)] = sequence
                precondition(
                    queue.count <= World.pendingEventsMax,
                    "pending events \(queue.count) > \(World.pendingEventsMax)")
            case .cancelTimer(let tag):
                liveTimers[TimerKey(component: component, tag: tag)] = nil
            case .deliver(let name, let input, let at):
                guard let target = components.firstIndex(where: { $0.name == name }) else {
                    preconditionFailure("\(components[component].name) sent a message to unknown component \(name)")
                }
                if case .timer = input {
                    preconditionFailure("timers are scheduled with .scheduleTimer, not delivered")
                }
                queue.push(time: max(at, now), component: target, input: input)
                pendingMessages += 1
                precondition(
                    queue.count <= World.pendingEventsMax,
                    "pending events \(queue.count) > \(World.pendingEventsMax)")
            case .log(let kind, let fields):
                log.record(
                    LogEvent(
                        time: now, component: components[component].name, kind: kind,
                        fields: fields.map { ($0.key, $0.value) }))
            }
        }
    }
}

/// The result of running a world to its end.
public struct RunOutcome: Sendable {
    public enum EndReason: String, Sendable {
        /// The end instant was reached with events still pending after it.
        case reachedEnd = "reached_end"
        /// No component had anything scheduled: the run ended early.
        case nothingScheduled = "nothing_scheduled"
    }

    public var endReason: EndReason
    public var start: Instant
    public var end: Instant
    public var lastEventTime: Instant
    public var steps: Int
    public var events: Int
    public var digest: Digest
    public var invariants: [InvariantResult]
    /// Platform counters (snapshots, rows stored, retries…), in a stable order; empty for kernel runs.
    public var counters: [(name: String, value: Int64)] = []
    /// The simulated disk the platform stored on, when the run was asked to export it (`--out`);
    /// read its files with `paths` and `read(_:offset:length:)`.
    public var disk: SimulatedDisk?

    /// Virtual seconds covered: the whole scenario span.
    public var virtualSeconds: Double {
        Double((end - start).wholeNanoseconds) / 1e9
    }

    /// True when every invariant held.
    public var invariantsHold: Bool { invariants.allSatisfy(\.holds) }
}
