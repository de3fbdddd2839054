/// The route families Kite rate-limits separately, per API key.
public enum KiteRouteFamily: Int, Sendable, CaseIterable {
    /// `/quote`, `/quote/ltp`, `/quote/ohlc`.
    case quote
    /// `/instruments/historical/…`.
    case historical
    /// Order placement, modification and cancellation.
    case orders
    /// Every other authenticated call, combined.
    case other
}

/// Requests per second allowed per family and API key; Kite's published figures by default.
public struct KiteRateLimits: Sendable, Equatable {
    public var quotePerSecond: Int
    public var historicalPerSecond: Int
    public var ordersPerSecond: Int
    public var otherPerSecond: Int
    /// When false every request is admitted (for runs that test something else).
    public var enabled: Bool
    /// How early, in milliseconds, a request may arrive relative to its slot: network jitter allowance.
    ///
    /// A client that sends exactly once a second sees its requests arrive up to a few tens of
    /// milliseconds early or late; a limiter with no allowance would reject every early one. The
    /// long-run rate stays at the limit whatever the allowance (it only shifts when a slot opens).
    public var jitterAllowanceMilliseconds: Int

    public init(quotePerSecond: Int = 1, historicalPerSecond: Int = 3, ordersPerSecond: Int = 10,
                otherPerSecond: Int = 10, enabled: Bool = true, jitterAllowanceMilliseconds: Int = 250) {
        precondition(quotePerSecond > 0 && historicalPerSecond > 0 && ordersPerSecond > 0 && otherPerSecond > 0,
                     "rate limits must be positive")
        self.quotePerSecond = quotePerSecond
        self.historicalPerSecond = historicalPerSecond
        self.ordersPerSecond = ordersPerSecond
        self.otherPerSecond = otherPerSecond
        self.enabled = enabled
        precondition((0...999).contains(jitterAllowanceMilliseconds), "jitter allowance must be 0...999 ms")
        self.jitterAllowanceMilliseconds = jitterAllowanceMilliseconds
    }

    /// Kite's limits: quote 1/s, historical 3/s, orders 10/s, everything else 10/s.
    public static let kite = KiteRateLimits()

    /// No limits at all.
    public static let unlimited = KiteRateLimits(enabled: false)

    /// The allowed requests per second for `family`.
    public func perSecond(_ family: KiteRouteFamily) -> Int {
        switch family {
        case .quote: return quotePerSecond
        case .historical: return historicalPerSecond
        case .orders: return ordersPerSecond
        case .other: return otherPerSecond
        }
    }
}

/// Per-key, per-family rate limiting in virtual time by the generic cell rate algorithm.
///
/// A limit of r per second admits a burst of r requests at one instant, then one request every
/// 1/r s: exactly a token bucket of capacity r refilled at r per second, kept as one integer
/// (the theoretical arrival time) so there is no floating point and no drift.
public struct KiteRateLimiter: Sendable {
    public var limits: KiteRateLimits
    /// Theoretical arrival time (ns) per API key, indexed by family raw value.
    private var arrival: [String: [Int64]] = [:]

    public init(limits: KiteRateLimits) { self.limits = limits }

    /// Admits a request (returns nil) or says how many nanoseconds until one would be admitted.
    public mutating func admit(apiKey: String, family: KiteRouteFamily, at now: KiteInstant) -> Int64? {
        guard limits.enabled else { return nil }
        let rate = Int64(limits.perSecond(family))
        let interval = 1_000_000_000 / rate
        // The burst of `rate` plus the jitter allowance, capped below one more full interval so a
        // burst at one instant still gets exactly `n − rate` rejections.
        let tolerance = (rate - 1) * interval + min(Int64(limits.jitterAllowanceMilliseconds) * 1_000_000, interval - 1)
        let t = now.nanosecondsSinceEpoch
        var row = arrival[apiKey] ?? Array(repeating: Int64.min, count: KiteRouteFamily.allCases.count)
        let theoretical = max(row[family.rawValue], t)
        if theoretical - t > tolerance { return theoretical - tolerance - t }
        row[family.rawValue] = theoretical + interval
        arrival[apiKey] = row
        return nil
    }
}
