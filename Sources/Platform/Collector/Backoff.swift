/// Exponential backoff with full jitter (AWS architecture blog): delay in [0, min(cap, base·2ⁿ)].
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let cap: Duration

    public init(base: Duration, cap: Duration) {
        precondition(base > .zero && cap >= base, "backoff base must be positive and no more than the cap")
        self.base = base
        self.cap = cap
    }

    /// The delay before retry `attempt` (1 = first retry), drawn from `random`.
    public func delay(attempt: Int, random: inout some RandomSource) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let bound = min(cap.wholeNanoseconds, base.wholeNanoseconds << exponent)
        return .nanoseconds(Int64(random.next(below: UInt64(bound) + 1)))
    }
}

/// A circuit breaker for one route: closed, open for a cooldown after repeated failures, then half-open.
///
/// States and legal inputs: closed (requests flow; `threshold` consecutive failures open it),
/// open (requests are refused until the cooldown ends), half-open (one probe; success closes,
/// failure re-opens).
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Instant)
        case halfOpen
    }

    public private(set) var state: State = .closed(consecutiveFailures: 0)
    public let threshold: Int
    public let cooldown: Duration
    public private(set) var openings = 0

    public init(threshold: Int, cooldown: Duration) {
        precondition(threshold >= 1, "breaker threshold must be at least 1")
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// Whether a request may go now; moves open → half-open when the cooldown has passed.
    public mutating func allows(at now: Instant) -> Bool {
        switch state {
        case .closed: return true
        case .halfOpen: return false  // the probe is already in flight
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        }
    }

    public mutating func recordSuccess() { state = .closed(consecutiveFailures: 0) }

    public mutating func recordFailure(at now: Instant) {
        switch state {
        case .closed(let failures):
            if failures + 1 >= threshold {
                state = .open(until: now + cooldown)
                openings += 1
            } else {
                state = .closed(consecutiveFailures: failures + 1)
            }
        case .halfOpen, .open:
            state = .open(until: now + cooldown)
            openings += 1
        }
    }

    public var isOpen: Bool {
        if case .closed = state { return false }
        return true
    }
}
