/// Black-76 prices of European options on a forward, the chain's pricing kernel.
///
/// Inputs are the forward F, strike K, total variance w = σ²τ and discount factor D = e^{−rτ}.
/// The out-of-the-money side is priced directly (accurate for cheap wings) and the other side by
/// put–call parity C − P = D(F − K), which adds rather than cancels. Doubles live only here and in
/// the surface; everything leaving the chain is quantised to integer ticks. The kernel uses only
/// IEEE 754 basic operations (`KernelMath`), so prices are bit-identical on every machine.
public enum Black76 {
    /// Standard normal cumulative distribution Φ(x), by Hart's double-precision algorithm 5666
    /// (as given by West, 2005): a rational function times e^{−x²/2}, accurate to about 1e-15
    /// absolute and to full relative precision in the lower tail, from + − × ÷ and `KernelMath.exp`.
    @inlinable
    public static func normalCDF(_ x: Double) -> Double {
        normalCDF(x, gaussian: abs(x) > 37 ? 0 : KernelMath.exp(-0.5 * x * x))
    }

    /// Φ(x) given `gaussian` = e^{−x²/2}, so a caller holding it (Black-76: e^{−d₂²/2} = e^{−d₁²/2}·F/K)
    /// saves the exponential.
    @inlinable @inline(__always)
    public static func normalCDF(_ x: Double, gaussian e: Double) -> Double {
        let a = abs(x)
        var tail: Double
        if a > 37 {
            tail = 0
        } else {
            if a < 7.07106781186547 {
                var n = 3.52624965998911e-02 * a + 0.700383064443688
                n = n * a + 6.37396220353165
                n = n * a + 33.912866078383
                n = n * a + 112.079291497871
                n = n * a + 221.213596169931
                n = n * a + 220.206867912376
                var d = 8.83883476483184e-02 * a + 1.75566716318264
                d = d * a + 16.064177579207
                d = d * a + 86.7807322029461
                d = d * a + 296.564248779674
                d = d * a + 637.333633378831
                d = d * a + 793.826512519948
                d = d * a + 440.413735824752
                tail = e * n / d
            } else {
                var b = a + 0.65
                b = a + 4 / b
                b = a + 3 / b
                b = a + 2 / b
                b = a + 1 / b
                tail = e / b / 2.506628274631
            }
        }
        return x > 0 ? 1 - tail : tail
    }

    /// Call and put prices in the forward's units; intrinsic value when w = 0.
    @inlinable
    public static func prices(forward f: Double, strike k: Double, totalVariance w: Double, discount d: Double)
        -> (call: Double, put: Double)
    {
        let parity = d * (f - k)
        guard w > 0 else { return (max(parity, 0), max(-parity, 0)) }
        return prices(forward: f, strike: k, logMoneyness: KernelMath.log(k / f), totalVariance: w, discount: d)
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
        // One exponential serves both: e^{−d₂²/2} = e^{−d₁²/2}·e^{−k} = e^{−d₁²/2}·F/K.
        let g1 = abs(d1) > 37 ? 0 : KernelMath.exp(-0.5 * d1 * d1)
        let g2 = abs(d2) > 37 ? 0 : g1 * (f / k)
        if x >= 0 {
            let call = max(d * (f * normalCDF(d1, gaussian: g1) - k * normalCDF(d2, gaussian: g2)), 0)
            return (call, call - parity)
        } else {
            let put = max(d * (k * normalCDF(-d2, gaussian: g2) - f * normalCDF(-d1, gaussian: g1)), 0)
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
