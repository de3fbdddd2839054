import Foundation

/// Black-76 prices of European options on a forward, the chain's pricing kernel.
///
/// Inputs are the forward F, strike K, total variance w = σ²τ and discount factor D = e^{−rτ}.
/// The out-of-the-money side is priced directly (accurate for cheap wings) and the other side by
/// put–call parity C − P = D(F − K), which adds rather than cancels. Doubles live only here and in
/// the surface; everything leaving the chain is quantised to integer ticks.
public enum Black76 {
    /// Standard normal cumulative distribution, Φ(x) = ½·erfc(−x/√2).
    @inlinable
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x * 0.7071067811865476) }

    /// Call and put prices in the forward's units; intrinsic value when w = 0.
    @inlinable
    public static func prices(forward f: Double, strike k: Double, totalVariance w: Double, discount d: Double)
        -> (call: Double, put: Double)
    {
        let parity = d * (f - k)
        guard w > 0 else { return (max(parity, 0), max(-parity, 0)) }
        let sd = w.squareRoot()
        let logMoneyness = log(k / f)
        let d1 = (-logMoneyness + 0.5 * w) / sd
        let d2 = d1 - sd
        if k >= f {
            let call = d * (f * normalCDF(d1) - k * normalCDF(d2))
            let callFloored = max(call, 0)
            return (callFloored, callFloored - parity)
        } else {
            let put = d * (k * normalCDF(-d2) - f * normalCDF(-d1))
            let putFloored = max(put, 0)
            return (putFloored + parity, putFloored)
        }
    }

    /// Call and put with log-moneyness k = ln(K/F) and √w supplied by a caller that already has them.
    @inlinable
    public static func prices(forward f: Double, strike k: Double, logMoneyness x: Double, totalVariance w: Double,
                              discount d: Double) -> (call: Double, put: Double)
    {
        let parity = d * (f - k)
        guard w > 0 else { return (max(parity, 0), max(-parity, 0)) }
        let sd = w.squareRoot()
        let d1 = (-x + 0.5 * w) / sd
        let d2 = d1 - sd
        if x >= 0 {
            let call = max(d * (f * normalCDF(d1) - k * normalCDF(d2)), 0)
            return (call, call - parity)
        } else {
            let put = max(d * (k * normalCDF(-d2) - f * normalCDF(-d1)), 0)
            return (put + parity, put)
        }
    }

    /// Implied total variance of a call price by bisection on w (for tests and the VIX strip).
    public static func impliedTotalVariance(call price: Double, forward f: Double, strike k: Double, discount d: Double)
        -> Double?
    {
        let lower = max(d * (f - k), 0)
        guard price > lower, price < d * f else { return nil }
        var low = 0.0
        var high = 25.0
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if prices(forward: f, strike: k, totalVariance: mid, discount: d).call < price { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
