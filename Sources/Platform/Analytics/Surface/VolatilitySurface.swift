#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A volatility surface: one fitted SVI smile per expiry, interpolated in total variance across expiries.
///
/// At log-moneyness k = ln(K/F_T) and time T between expiries T₁ < T < T₂, total variance is
/// linear in T between w₁(k) and w₂(k); before the first expiry it scales as w₁(k)·T/T₁, after the
/// last as w_n(k)·T/T_n. Implied volatility is √(w/T). Calendar arbitrage shows up as w decreasing
/// in T at some k, which `calendarViolations` reports.
public struct VolatilitySurface: Sendable {
    /// One expiry's smile.
    public struct Slice: Sendable, Hashable {
        public var expiry: CivilDate
        public var years: Double
        public var smile: SVIParameters
    }

    /// Slices in increasing time to expiry.
    public private(set) var slices: [Slice]

    /// A surface from slices in any order; slices with non-positive time are dropped.
    public init(_ slices: [Slice]) {
        self.slices = slices.filter { $0.years > 0 }.sorted { $0.years < $1.years }
    }

    /// Total variance at log-moneyness k and time T (years); nil when the surface is empty.
    public func totalVariance(k: Double, years: Double) -> Double? {
        guard let first = slices.first, let last = slices.last, years > 0 else { return nil }
        if years <= first.years { return first.smile.totalVariance(k) * years / first.years }
        if years >= last.years { return last.smile.totalVariance(k) * years / last.years }
        let upper = slices.firstIndex { $0.years >= years }!
        let (s1, s2) = (slices[upper - 1], slices[upper])
        let weight = (years - s1.years) / (s2.years - s1.years)
        return (1 - weight) * s1.smile.totalVariance(k) + weight * s2.smile.totalVariance(k)
    }

    /// Implied volatility at log-moneyness k and time T.
    public func volatility(k: Double, years: Double) -> Double? {
        totalVariance(k: k, years: years).map { (max($0, 0) / years).squareRoot() }
    }

    /// (expiry, k) pairs on a grid where total variance falls from one expiry to the next.
    public func calendarViolations(from lower: Double = -1, to upper: Double = 1, points: Int = 201)
        -> [(expiry: CivilDate, k: Double)]
    {
        var violations: [(expiry: CivilDate, k: Double)] = []
        for index in slices.indices.dropFirst() {
            for point in 0..<points {
                let k = lower + (upper - lower) * Double(point) / Double(points - 1)
                if slices[index].smile.totalVariance(k) < slices[index - 1].smile.totalVariance(k) {
                    violations.append((slices[index].expiry, k))
                }
            }
        }
        return violations
    }

    /// ATM implied volatility per expiry: the term structure.
    public var termStructure: [(expiry: CivilDate, years: Double, atmVolatility: Double)] {
        slices.map {
            ($0.expiry, $0.years, SmileMetrics(smile: $0.smile, years: $0.years).atmVolatility)
        }
    }
}

/// The numbers traders read off one smile: ATM vol, 25-delta risk reversal and butterfly, skew slope.
///
/// Deltas are forward (undiscounted) Black-76 deltas at each strike's own smile volatility:
/// the 25-delta call strike solves Φ(d₁) = 0.25, the put strike Φ(d₁) = 0.75 (put delta -0.25).
/// RR = σ(25Δ call) - σ(25Δ put); BF = (σ(25Δ call) + σ(25Δ put))/2 - σ_ATM; skew = dσ/dk at k = 0.
public struct SmileMetrics: Sendable, Hashable {
    public var atmVolatility: Double
    public var riskReversal25: Double
    public var butterfly25: Double
    /// dσ/dk at the money, per unit of log-moneyness.
    public var skewSlope: Double
    public var call25LogMoneyness: Double
    public var put25LogMoneyness: Double

    public init(smile: SVIParameters, years: Double) {
        let atmVariance = max(smile.totalVariance(0), 1e-300)
        atmVolatility = (atmVariance / years).squareRoot()
        skewSlope = smile.slope(0) / (2 * (atmVariance * years).squareRoot())
        call25LogMoneyness = Self.strike(forDelta: 0.25, smile: smile)
        put25LogMoneyness = Self.strike(forDelta: 0.75, smile: smile)
        let callVol = (max(smile.totalVariance(call25LogMoneyness), 0) / years).squareRoot()
        let putVol = (max(smile.totalVariance(put25LogMoneyness), 0) / years).squareRoot()
        riskReversal25 = callVol - putVol
        butterfly25 = 0.5 * (callVol + putVol) - atmVolatility
    }

    /// The k where the forward call delta Φ(-k/√w + √w/2) equals `delta`, by bisection on [-5, 5].
    static func strike(forDelta delta: Double, smile: SVIParameters) -> Double {
        var low = -5.0
        var high = 5.0
        for _ in 0..<100 {
            let k = 0.5 * (low + high)
            let root = max(smile.totalVariance(k), 1e-300).squareRoot()
            // Call delta falls as k rises.
            if NormalDistribution.cdf(-k / root + 0.5 * root) > delta { low = k } else { high = k }
            if high - low < 1e-12 { break }
        }
        return 0.5 * (low + high)
    }
}
