/// At-the-money total variance by expiry, anchored on the path's current variance state.
///
/// θ(τ) = v̄τ + (v − v̄)(1 − e^{−κτ})/κ (the Heston expected integrated variance): its slope
/// dθ/dτ = v̄ + (v − v̄)e^{−κτ} is a mix of two positive numbers, so θ strictly increases with τ
/// and the SSVI surface built on it has no calendar arbitrage. v and v̄ include the variance premium.
public struct TermStructure: Sendable, Equatable {
    /// Current implied variance rate (per year).
    public let spotVariance: Double
    /// Long-run implied variance rate (per year).
    public let longRunVariance: Double
    /// Mean-reversion speed of implied variance, per year.
    public let meanReversion: Double

    public init(spotVariance: Double, longRunVariance: Double, meanReversion: Double = 8) {
        precondition(spotVariance > 0 && longRunVariance > 0 && meanReversion > 0,
                     "term structure needs positive variances and speed: \(spotVariance), \(longRunVariance), \(meanReversion)")
        self.spotVariance = spotVariance
        self.longRunVariance = longRunVariance
        self.meanReversion = meanReversion
    }

    /// ATM total variance θ for `tau` years to expiry (0 at τ = 0).
    @inlinable
    public func theta(tau: Double) -> Double {
        guard tau > 0 else { return 0 }
        let kt = meanReversion * tau
        // (1 − e^{−x})/x, by its series near 0 to avoid cancellation.
        let fraction = kt < 1e-6 ? 1 - kt / 2 : (1 - KernelMath.exp(-kt)) / kt
        return longRunVariance * tau + (spotVariance - longRunVariance) * tau * fraction
    }
}
