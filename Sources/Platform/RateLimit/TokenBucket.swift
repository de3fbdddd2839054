/// A token bucket in integer arithmetic: `capacity` tokens, refilled at `refillPerSecond`.
///
/// Time comes in as an argument (virtual or real); nothing here reads a clock. Tokens are counted
/// in millitokens internally so fractional refill rates (0.5/s) stay exact over any run length.
public struct TokenBucket: Sendable, Equatable {
    /// Burst size in whole tokens.
    public let capacity: Int64
    /// Sustained rate in millitokens per second (1,000 = one token a second).
    public let refillMillitokensPerSecond: Int64
    private var millitokens: Int64
    private var updatedAt: Instant

    /// A full bucket at `now`.
    public init(capacity: Int64, refillPerSecond: Double, now: Instant) {
        precondition(capacity >= 1, "token bucket capacity must be at least 1, got \(capacity)")
        precondition(refillPerSecond > 0, "token bucket refill must be positive, got \(refillPerSecond)")
        self.capacity = capacity
        self.refillMillitokensPerSecond = max(1, Int64((refillPerSecond * 1000).rounded()))
        self.millitokens = capacity * 1000
        self.updatedAt = now
    }

    private mutating func refill(_ now: Instant) {
        guard now > updatedAt else { return }
        let elapsed = (now - updatedAt).wholeNanoseconds
        if elapsed / 1_000_000_000 >= capacity * 1000 / refillMillitokensPerSecond + 1 {  // long idle: full
            millitokens = capacity * 1000
            updatedAt = now
            return
        }
        // elapsed · rate / 1e9 in 128-bit arithmetic, exact for any span.
        let product = elapsed.multipliedFullWidth(by: refillMillitokensPerSecond)
        let (quotient, _) = Int64(1_000_000_000).dividingFullWidth(product)
        let gained = min(quotient, capacity * 1000)
        guard gained > 0 else { return }
        millitokens = min(capacity * 1000, millitokens + gained)
        // Advance the clock only by the time the gained tokens account for (rounded up, so the
        // bucket never credits time twice), keeping the remainder for the next refill.
        // ⌈gained · 1e9 / rate⌉ in 128-bit arithmetic: large buckets (a benchmark key's 10^9) overflow 64 bits.
        let scaled = gained.multipliedFullWidth(by: 1_000_000_000)
        let (low, carry) = scaled.low.addingReportingOverflow(UInt64(refillMillitokensPerSecond - 1))
        let (used, _) = refillMillitokensPerSecond.dividingFullWidth((scaled.high + (carry ? 1 : 0), low))
        updatedAt = millitokens == capacity * 1000 ? now : updatedAt + .nanoseconds(used)
    }

    /// Takes `cost` tokens if available at `now`; otherwise returns how long until they would be.
    public mutating func take(_ cost: Int64 = 1, at now: Instant) -> TakeResult {
        precondition(cost >= 1 && cost <= capacity, "cost \(cost) must be in 1...\(capacity)")
        refill(now)
        if millitokens >= cost * 1000 {
            millitokens -= cost * 1000
            return .granted(remaining: millitokens / 1000)
        }
        let missing = cost * 1000 - millitokens
        let waitNanoseconds = (missing * 1_000_000_000 + refillMillitokensPerSecond - 1) / refillMillitokensPerSecond
        return .denied(retryAfter: .nanoseconds(waitNanoseconds))
    }

    /// Whole tokens available at `now`, without taking any.
    public func available(at now: Instant) -> Int64 {
        var copy = self
        copy.refill(now)
        return copy.millitokens / 1000
    }

    public enum TakeResult: Sendable, Equatable {
        case granted(remaining: Int64)
        case denied(retryAfter: Duration)

        public var isGranted: Bool {
            if case .granted = self { return true }
            return false
        }
    }
}
