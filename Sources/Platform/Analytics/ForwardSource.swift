#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the forward F for Black-76 comes from, chosen per run and recorded with the results.
///
/// Indian brokers' chains price on the same-expiry future. Weekly expiries have no listed future,
/// so the forward implied by put-call parity at the at-the-money strike is the usual substitute;
/// the cost-of-carry forward S·e^{(r-q)T} is the textbook fallback.
public enum ForwardSource: Sendable, Hashable {
    /// The same-expiry future's last (or mid) price.
    case future(price: Double)
    /// Put-call parity F = K + e^{rT}(C - P) at the listed strike where |C - P| is smallest.
    case putCallParity
    /// Cost of carry F = S·e^{(r-q)T} from spot, rate and dividend yield.
    case carry(spot: Double, dividendYield: Double)

    /// The forward implied by one call/put pair at `strike`: K + e^{rT}(C - P).
    public static func parityForward(
        strike: Double, callPrice: Double, putPrice: Double, years: Double, rate: Double
    ) -> Double {
        strike + exp(rate * years) * (callPrice - putPrice)
    }

    /// Resolves the forward for one expiry from its quotes; nil when the source lacks the data
    /// (no strike quoted on both sides for put-call parity, or a non-positive price).
    ///
    /// - Parameter pairs: (strike, call price, put price) for strikes quoted on both sides.
    public func forward(
        years: Double, rate: Double, pairs: [(strike: Double, call: Double, put: Double)]
    ) -> Double? {
        switch self {
        case .future(let price):
            return price > 0 && price.isFinite ? price : nil
        case .carry(let spot, let dividendYield):
            let value = spot * exp((rate - dividendYield) * years)
            return value > 0 && value.isFinite ? value : nil
        case .putCallParity:
            // The pair with the smallest |C - P| is nearest the forward; ties go to the lower strike.
            var best: (strike: Double, call: Double, put: Double)?
            for pair in pairs where pair.call > 0 && pair.put > 0 {
                guard let current = best else {
                    best = pair
                    continue
                }
                let gap = abs(pair.call - pair.put)
                let bestGap = abs(current.call - current.put)
                if gap < bestGap || (gap == bestGap && pair.strike < current.strike) { best = pair }
            }
            guard let best else { return nil }
            let value = Self.parityForward(
                strike: best.strike, callPrice: best.call, putPrice: best.put, years: years,
                rate: rate)
            return value > 0 ? value : nil
        }
    }
}
