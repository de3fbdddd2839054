/// INDIA VIX computed from the NIFTY surface by the CBOE/NSE variance-strip formula.
///
/// For the two expiries bracketing 30 days (at least 2 days out): σ² = (2/T)·Σ ΔK/K²·e^{rT}·Q(K)
/// − (1/T)(F/K₀ − 1)², with Q the out-of-the-money model price on a strike strip of the index's
/// step over F·e^{±6√θ}; total variances are interpolated linearly in T to 30 days and the level is
/// 100·√(σ²₃₀). Because the strip prices come from the model, VIX tracks the surface's level exactly.
extension Market {
    /// INDIA VIX (in volatility points, e.g. 13.2) at `second`; 0 when NIFTY is not simulated.
    public func indiaVIX(second: Int) -> Double {
        guard let nifty = indices.first(where: { $0.name == "NIFTY" }), let catalog = catalogs[nifty.number] else {
            return 0
        }
        let target = Double(spec.vix.targetDays) / 365
        let slices = catalog.expiries.map { slice(nifty, expiry: $0.listing.date, second: second) }
            .filter { $0.tau >= 2.0 / 365 }
        guard let first = slices.first else { return 0 }
        let near = slices.last { $0.tau <= target } ?? first
        let next = slices.first { $0.tau > target } ?? slices.last!
        let nearVariance = Market.stripVariance(near, step: Double(nifty.strikeStepPaise) / 100) * near.tau
        let nextVariance = Market.stripVariance(next, step: Double(nifty.strikeStepPaise) / 100) * next.tau
        var total = nearVariance
        if next.tau > near.tau {
            let weight = (target - near.tau) / (next.tau - near.tau)
            total = nearVariance + weight * (nextVariance - nearVariance)
        } else {
            total = nearVariance / near.tau * target
        }
        return 100 * (max(total, 0) / target).squareRoot()
    }

    /// The model-free annualised variance of one expiry from its out-of-the-money strip.
    static func stripVariance(_ slice: ExpirySlice, step: Double) -> Double {
        let width = 6 * slice.theta.squareRoot()
        let low = (slice.forward * PortableMath.exp(-width) / step).rounded(.down) * step
        let high = (slice.forward * PortableMath.exp(width) / step).rounded(.up) * step
        let k0 = (slice.forward / step).rounded(.down) * step
        var sum = 0.0
        var strike = max(low, step)
        while strike <= high {
            let priced = slice.price(strikePaise: Int64((strike * 100).rounded()))
            let q = strike < k0 ? priced.put : strike > k0 ? priced.call : 0.5 * (priced.call + priced.put)
            sum += step / (strike * strike) * q
            strike += step
        }
        let t = slice.tau
        let growth = 1 / slice.discount
        return 2 / t * sum * growth - (slice.forward / k0 - 1) * (slice.forward / k0 - 1) / t
    }
}
