/// The SSVI total-variance surface (Gatheral & Jacquier 2014) with the power-law φ and γ = ½.
///
/// w(k, θ) = θ/2 · (1 + ρφk + √((φk + ρ)² + 1 − ρ²)), φ(θ) = η / √(θ(1 + θ)), where k = ln(K/F)
/// and θ is the at-the-money total variance of the expiry. With γ = ½ the surface is free of
/// calendar arbitrage whenever θ increases with expiry, and free of butterfly arbitrage when
/// η(1 + |ρ|) ≤ 2 (then θφ(1+|ρ|) < 4 and θφ²(1+|ρ|) ≤ 4 for every θ); `init` enforces that bound.
public struct SSVI: Sendable, Equatable {
    /// Correlation parameter: the smile's skew, in (−1, 1).
    public let rho: Double
    /// Power-law level η: the smile's curvature, with η(1 + |ρ|) ≤ 2.
    public let eta: Double

    /// Nil when the parameters admit static arbitrage (|ρ| ≥ 1, η ≤ 0 or η(1 + |ρ|) > 2).
    public init?(rho: Double, eta: Double) {
        guard rho.isFinite, eta.isFinite, abs(rho) < 1, eta > 0, eta * (1 + abs(rho)) <= 2 else { return nil }
        self.rho = rho
        self.eta = eta
    }

    /// The largest arbitrage-free η for skew `rho`: 2 / (1 + |ρ|).
    public static func etaMax(rho: Double) -> Double { 2 / (1 + abs(rho)) }

    /// φ(θ) = η / √(θ(1+θ)).
    @inlinable
    public func phi(theta: Double) -> Double { eta / (theta * (1 + theta)).squareRoot() }

    /// Total implied variance at log-moneyness `k` on the slice with ATM total variance `theta`.
    @inlinable
    public func totalVariance(k: Double, theta: Double) -> Double {
        guard theta > 0 else { return 0 }
        return totalVariance(k: k, theta: theta, phi: phi(theta: theta))
    }

    /// `totalVariance(k:theta:)` for a caller holding `phi(theta:)` of this `theta`, the same bits.
    @inlinable @inline(__always)
    public func totalVariance(k: Double, theta: Double, phi: Double) -> Double {
        guard theta > 0 else { return 0 }
        let p = phi * k
        let r = p + rho
        return 0.5 * theta * (1 + rho * p + (r * r + 1 - rho * rho).squareRoot())
    }

    /// The raw-SVI form of the slice θ: (a, b, ρ, m, σ) with w = a + b(ρ(k−m) + √((k−m)² + σ²)).
    public func rawSVI(theta: Double) -> (a: Double, b: Double, rho: Double, m: Double, sigma: Double) {
        let phi = phi(theta: theta)
        let oneMinusRho2 = (1 - rho * rho).squareRoot()
        return (0.5 * theta * (1 - rho * rho), 0.5 * theta * phi, rho, -rho / phi, oneMinusRho2 / phi)
    }

    /// Durrleman's g(k) for the slice θ; g ≥ 0 everywhere means a non-negative implied density.
    public func durrleman(k: Double, theta: Double) -> Double {
        let phi = phi(theta: theta)
        let p = phi * k + rho
        let root = (p * p + 1 - rho * rho).squareRoot()
        let w = 0.5 * theta * (1 + rho * phi * k + root)
        let w1 = 0.5 * theta * phi * (rho + p / root)
        let w2 = 0.5 * theta * phi * phi * (1 - rho * rho) / (root * root * root)
        let term = 1 - k * w1 / (2 * w)
        return term * term - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2
    }
}
