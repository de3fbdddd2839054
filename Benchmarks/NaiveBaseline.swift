import Foundation
import Platform

/// The simple implementations the analytics figures are compared against: the textbook closed form
/// (F·N(d₁) - K·N(d₂) with N(x) = erfc(-x/√2)/2) and bisection for implied volatility.
enum NaiveBaseline {
    static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x * 0.7071067811865476) }

    /// Price + delta, gamma, vega, theta, rho, summed so nothing is optimised away.
    static func greeks(
        _ isCall: Bool, _ s: Double, _ k: Double, _ t: Double, _ r: Double, _ q: Double,
        _ sigma: Double
    ) -> Double {
        let rootT = t.squareRoot()
        let d1 = (log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * rootT)
        let d2 = d1 - sigma * rootT
        let dq = exp(-q * t)
        let dr = exp(-r * t)
        let pdf = exp(-0.5 * d1 * d1) * 0.3989422804014327
        let w = isCall ? 1.0 : -1.0
        let n1 = cdf(w * d1)
        let n2 = cdf(w * d2)
        let price = w * (s * dq * n1 - k * dr * n2)
        let delta = w * dq * n1
        let gamma = dq * pdf / (s * sigma * rootT)
        let vega = s * dq * pdf * rootT
        let theta = -s * dq * pdf * sigma / (2 * rootT) - w * r * k * dr * n2 + w * q * s * dq * n1
        let rho = w * k * t * dr * n2
        return price + delta + gamma + vega + theta + rho
    }

    /// Bisection on σ in [1e-6, 10] until the bracket is 1e-15 relative wide (about 55 halvings).
    static func bisectionIV(
        _ kind: OptionKind, _ price: Double, _ s: Double, _ k: Double, _ t: Double, _ r: Double,
        _ q: Double
    ) -> Double {
        var low = 1e-6
        var high = 10.0
        while high - low > 1e-15 * high {
            let mid = 0.5 * (low + high)
            let value = BlackScholesMerton.price(
                kind, spot: s, strike: k, years: t, rate: r, dividendYield: q, volatility: mid)
            if value < price { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
