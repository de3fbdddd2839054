#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fits raw SVI to one expiry's implied volatilities by weighted least squares in total variance.
///
/// Quasi-explicit method (Zeliade 2009): for fixed (m, σ) the smile is linear in (a, c = bσ, d = ρbσ)
/// over y = (k - m)/σ, w = a + d·y + c·√(y² + 1), so those three come from a weighted 3×3 solve,
/// projected onto the admissible set (0 ≤ c ≤ 4σ, |d| ≤ c, |d| ≤ 4σ - c); the outer two parameters are
/// found by Nelder-Mead on (m, ln σ) from a fixed start with a fixed iteration budget — deterministic.
/// Weights: pass vega (or 1/spread) per quote; they are normalised internally.
public enum SVIFit {
    /// One quote: log-moneyness k = ln(K/F), implied volatility, and its weight.
    public struct Quote: Sendable, Hashable {
        public var logMoneyness: Double
        public var volatility: Double
        public var weight: Double

        public init(logMoneyness: Double, volatility: Double, weight: Double = 1) {
            self.logMoneyness = logMoneyness
            self.volatility = volatility
            self.weight = weight
        }
    }

    /// The fitted smile and how well it fits.
    public struct Result: Sendable, Hashable {
        public var parameters: SVIParameters
        public var years: Double
        /// Weighted root-mean-square error in implied volatility (per 1.00).
        public var volatilityRMSE: Double
        /// Log-moneyness grid points with butterfly arbitrage, checked over the quoted range widened by
        /// its own width on each side (at least ±6 ATM standard deviations); empty when arbitrage-free.
        public var butterflyViolations: [Double]
        public var isAdmissible: Bool

        /// Implied volatility of the fitted smile at log-moneyness k.
        public func volatility(at k: Double) -> Double {
            (max(parameters.totalVariance(k), 0) / years).squareRoot()
        }
    }

    /// Why a fit could not be made.
    public enum FitError: Error, Sendable, Hashable, CustomStringConvertible {
        case tooFewQuotes(found: Int)
        case invalidQuote(index: Int)

        public var description: String {
            switch self {
            case .tooFewQuotes(let found):
                "SVI needs at least 5 quotes with positive weight, found \(found)"
            case .invalidQuote(let index):
                "quote \(index) has a non-finite or non-positive volatility or weight"
            }
        }
    }

    /// Fits quotes of one expiry with time to expiry `years` (ACT/365).
    public static func fit(_ quotes: [Quote], years: Double, iterations: Int = 300) throws(FitError)
        -> Result
    {
        for (index, quote) in quotes.enumerated() {
            guard quote.volatility > 0, quote.volatility.isFinite, quote.weight >= 0,
                quote.weight.isFinite,
                quote.logMoneyness.isFinite
            else { throw .invalidQuote(index: index) }
        }
        let used = quotes.filter { $0.weight > 0 }
        guard used.count >= 5 else { throw .tooFewQuotes(found: used.count) }
        let totalWeight = used.reduce(0) { $0 + $1.weight }
        let ks = used.map(\.logMoneyness)
        let ws = used.map { $0.volatility * $0.volatility * years }
        let weights = used.map { $0.weight / totalWeight }

        func inner(_ m: Double, _ sigma: Double) -> (SVIParameters, Double) {
            innerFit(ks: ks, ws: ws, weights: weights, m: m, sigma: sigma)
        }
        // Start at the quote with the least variance, σ = 0.1.
        let lowest = ws.indices.min { ws[$0] < ws[$1] }!
        var simplex: [(point: (Double, Double), value: Double)] = [
            (ks[lowest], log(0.1)), (ks[lowest] + 0.1, log(0.1)), (ks[lowest], log(0.3)),
        ].map { point in (point, inner(point.0, exp(point.1)).1) }
        for _ in 0..<iterations {
            simplex.sort { $0.value < $1.value }
            let (best, middle, worst) = (simplex[0], simplex[1], simplex[2])
            let centroid = (
                (best.point.0 + middle.point.0) / 2, (best.point.1 + middle.point.1) / 2
            )
            func along(_ t: Double) -> (Double, Double) {
                (
                    centroid.0 + t * (worst.point.0 - centroid.0),
                    centroid.1 + t * (worst.point.1 - centroid.1)
                )
            }
            func value(_ p: (Double, Double)) -> Double { inner(p.0, exp(p.1)).1 }
            let reflected = along(-1)
            let reflectedValue = value(reflected)
            if reflectedValue < best.value {
                let expanded = along(-2)
                let expandedValue = value(expanded)
                simplex[2] =
                    expandedValue < reflectedValue
                    ? (expanded, expandedValue) : (reflected, reflectedValue)
            } else if reflectedValue < middle.value {
                simplex[2] = (reflected, reflectedValue)
            } else {
                let contracted = along(0.5)
                let contractedValue = value(contracted)
                if contractedValue < worst.value {
                    simplex[2] = (contracted, contractedValue)
                } else {
                    for index in 1...2 {
                        let p = (
                            (simplex[index].point.0 + best.point.0) / 2,
                            (simplex[index].point.1 + best.point.1) / 2
                        )
                        simplex[index] = (p, value(p))
                    }
                }
            }
        }
        simplex.sort { $0.value < $1.value }
        let (parameters, _) = inner(simplex[0].point.0, exp(simplex[0].point.1))
        var squared = 0.0
        for index in ks.indices {
            let fitted = (max(parameters.totalVariance(ks[index]), 0) / years).squareRoot()
            let error = fitted - used[index].volatility
            squared += weights[index] * error * error
        }
        let kMin = ks.min()!
        let kMax = ks.max()!
        let reach = max(kMax - kMin, 6 * max(parameters.totalVariance(0), 0).squareRoot())
        let checkedRange = (min(kMin, 0) - reach)...(max(kMax, 0) + reach)
        return Result(
            parameters: parameters, years: years, volatilityRMSE: squared.squareRoot(),
            butterflyViolations: parameters.butterflyViolations(
                from: checkedRange.lowerBound, to: checkedRange.upperBound),
            isAdmissible: parameters.isAdmissible)
    }

    /// The weighted least-squares (a, c, d) for fixed (m, σ), projected onto the admissible set.
    static func innerFit(ks: [Double], ws: [Double], weights: [Double], m: Double, sigma: Double)
        -> (SVIParameters, Double)
    {
        // Normal equations for w ≈ a + d·y + c·z, z = √(y² + 1).
        var s = [Double](repeating: 0, count: 9)  // symmetric 3×3 over (1, y, z)
        var r = [0.0, 0.0, 0.0]
        for index in ks.indices {
            let y = (ks[index] - m) / sigma
            let z = (y * y + 1).squareRoot()
            let basis = [1, y, z]
            let weight = weights[index]
            for i in 0..<3 {
                r[i] += weight * basis[i] * ws[index]
                for j in 0..<3 { s[3 * i + j] += weight * basis[i] * basis[j] }
            }
        }
        var (a, d, c) = solve3(s, r) ?? (ws.reduce(0, +) / Double(ws.count), 0, 0)
        let cMax = 4 * sigma
        c = min(max(c, 0), cMax)
        let dBound = min(c, cMax - c)
        d = min(max(d, -dBound), dBound)
        // Re-fit a alone for the projected (c, d), keeping the minimum variance non-negative.
        var residual = 0.0
        for index in ks.indices {
            let y = (ks[index] - m) / sigma
            residual += weights[index] * (ws[index] - d * y - c * (y * y + 1).squareRoot())
        }
        a = residual
        let b = c / sigma
        let rho = c > 0 ? d / c : 0
        a = max(a, -b * sigma * (1 - rho * rho).squareRoot())
        let parameters = SVIParameters(a: a, b: b, rho: rho, m: m, sigma: sigma)
        var objective = 0.0
        for index in ks.indices {
            let error = parameters.totalVariance(ks[index]) - ws[index]
            objective += weights[index] * error * error
        }
        return (parameters, objective)
    }

    /// Solves the 3×3 system by Cramer's rule; nil when it is singular.
    static func solve3(_ m: [Double], _ r: [Double]) -> (Double, Double, Double)? {
        func det(_ a: [Double]) -> Double {
            a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2]
                * (a[3] * a[7] - a[4] * a[6])
        }
        let d = det(m)
        guard abs(d) > 1e-300, d.isFinite else { return nil }
        var x = [0.0, 0.0, 0.0]
        for column in 0..<3 {
            var replaced = m
            for row in 0..<3 { replaced[3 * row + column] = r[row] }
            x[column] = det(replaced) / d
        }
        return (x[0], x[1], x[2])
    }
}
