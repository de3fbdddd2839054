/// Identifies one timer a component asked for; unique within a run.
public struct TimerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: TimerID, rhs: TimerID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "timer#\(rawValue)" }
}

/// The clock port: the current instant, as the simulation or the live loop sees it.
///
/// Logic never reads a clock itself; the current time is handed to each `handle` call. This
/// port exists for the drivers that do the handing.
public protocol Clock {
    /// The current instant.
    var now: Instant { get }
}

/// The scheduler port: deliver a timer to its owner at a given instant, or cancel it.
///
/// In simulation this is a priority queue ordered by (instant, sequence number), so two timers
/// for the same instant fire in the order they were scheduled. Live, it is the event loop.
public protocol Scheduler: Clock {
    /// Arranges for `timer` to fire at `instant` (or at `now` if `instant` is in the past).
    mutating func schedule(_ timer: TimerID, at instant: Instant)
    /// Cancels `timer`; returns false if it had already fired or was never scheduled.
    @discardableResult mutating func cancel(_ timer: TimerID) -> Bool
}
