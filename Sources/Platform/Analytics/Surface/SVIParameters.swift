/// Gatheral's raw SVI smile for one expiry: total implied variance as a function of log-moneyness.
///
/// w(k) = a + b·(ρ·(k - m) + √((k - m)² + σ²)), with k = ln(K/F) and w = σ_implied²·T. The implied
/// volatility at k is √(w(k)/T). Parameters are valid when b ≥ 0, |ρ| < 1, σ > 0 and the minimum
/// a + b·σ·√(1 - ρ²) ≥ 0; Lee's moment bound requires b·(1 + |ρ|) ≤ 4.
public struct SVIParameters: Sendable, Hashable {
    public var a: Double
    public var b: Double
    public var rho: Double
    public var m: Double
    public var sigma: Double

    public init(a: Double, b: Double, rho: Double, m: Double, sigma: Double) {
        self.a = a
        self.b = b
        self.rho = rho
        self.m = m
        self.sigma = sigma
    }

    /// Total variance w(k).
    public func totalVariance(_ k: Double) -> Double {
        let y = k - m
        return a + b * (rho * y + (y * y + sigma * sigma).squareRoot())
    }

    /// dw/dk.
    public func slope(_ k: Double) -> Double {
        let y = k - m
        return b * (rho + y / (y * y + sigma * sigma).squareRoot())
    }

    /// d²w/dk².
    public func curvature(_ k: Double) -> Double {
        let y = k - m
        let root = (y * y + sigma * sigma).squareRoot()
        return b * sigma * sigma / (root * root * root)
    }

    /// Gatheral's butterfly density function g(k); the smile is free of butterfly arbitrage where g ≥ 0.
    ///
    /// g(k) = (1 - k·w'/(2w))² - (w'²/4)·(1/w + 1/4) + w''/2, proportional to the risk-neutral density.
    public func density(_ k: Double) -> Double {
        let w = totalVariance(k)
        let w1 = slope(k)
        let w2 = curvature(k)
        let first = 1 - k * w1 / (2 * w)
        return first * first - 0.25 * w1 * w1 * (1 / w + 0.25) + 0.5 * w2
    }

    /// True when the parameters satisfy SVI's own constraints and Lee's moment bound.
    public var isAdmissible: Bool {
        b >= 0 && abs(rho) < 1 && sigma > 0 && a + b * sigma * (1 - rho * rho).squareRoot() >= 0
            && b * (1 + abs(rho)) <= 4
    }

    /// Log-moneyness points in [lower, upper] where g(k) < 0 (butterfly arbitrage), on an even grid.
    public func butterflyViolations(
        from lower: Double = -1.5, to upper: Double = 1.5, points: Int = 301
    ) -> [Double] {
        (0..<points).compactMap { index in
            let k = lower + (upper - lower) * Double(index) / Double(points - 1)
            return density(k) < 0 || totalVariance(k) <= 0 ? k : nil
        }
    }
}
