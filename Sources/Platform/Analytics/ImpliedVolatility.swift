#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Implied volatility for Black-Scholes-Merton and Black-76 prices, exact to the last ulps.
///
/// The price is normalised to β = V/(e^{-rT}√(F·K)) and handed to `NormalisedImpliedVolatility`
/// as an out-of-the-money call. For every price strictly inside the no-arbitrage bounds
/// (discounted intrinsic < V < discounted forward for calls, discounted strike for puts) the result
/// is σ to about 1e-14 relative where the price pins σ, and otherwise a σ that reprices to a few ulps.
/// Outside the bounds it is a typed reason (`ImpliedVolatilityResult`), never NaN.
public enum ImpliedVolatility {
    /// σ implied by a Black-Scholes-Merton price on spot S with rate r and dividend yield q (T in years).
    @inlinable
    public static func blackScholesMerton(
        _ kind: OptionKind, price: Double, spot: Double, strike: Double, years: Double,
        rate: Double,
        dividendYield: Double
    ) -> ImpliedVolatilityResult {
        guard spot > 0, spot.isFinite, dividendYield.isFinite else { return .invalidInput }
        guard strike > 0, strike.isFinite, years > 0, years.isFinite, rate.isFinite else {
            return .invalidInput
        }
        let x = BlackTerms.logRatio(spot, strike) + (rate - dividendYield) * years
        return solve(kind, price: price, x: x, strike: strike, years: years, rate: rate)
    }

    /// σ implied by a Black-76 price on forward F discounted at rate r (T in years).
    @inlinable
    public static func black76(
        _ kind: OptionKind, price: Double, forward: Double, strike: Double, years: Double,
        rate: Double
    ) -> ImpliedVolatilityResult {
        guard forward > 0, forward.isFinite, strike > 0, strike.isFinite else {
            return .invalidInput
        }
        guard years > 0, years.isFinite, rate.isFinite else { return .invalidInput }
        return solve(
            kind, price: price, x: BlackTerms.logRatio(forward, strike), strike: strike,
            years: years, rate: rate)
    }

    /// Shared path: x = ln(F/K); the normaliser e^{-rT}·√(F·K) = K·e^{x/2 - rT}.
    @inlinable
    static func solve(
        _ kind: OptionKind, price: Double, x: Double, strike: Double, years: Double, rate: Double
    ) -> ImpliedVolatilityResult {
        guard price.isFinite, x.isFinite else { return .invalidInput }
        let normaliser = strike * PortableExponential.exp(0.5 * x - rate * years)
        switch normalised(kind, beta: price / normaliser, x: x) {
        case .solved(let s): return .solved(s / years.squareRoot())
        case let other: return other
        }
    }

    /// s = σ√T with normalised value β for an option of `kind` at log-moneyness x = ln(F/K).
    public static func normalised(_ kind: OptionKind, beta: Double, x: Double)
        -> ImpliedVolatilityResult
    {
        let callX = kind == .call ? x : -x
        // u = e^{|x|/2} - 1 gives the intrinsic value 2·sinh(x/2) = u + u/(1+u) and both bounds.
        let u = expm1(0.5 * abs(callX))
        let intrinsic = callX > 0 ? u + u / (1 + u) : 0
        if beta < intrinsic || beta < 0 { return .belowIntrinsic }
        // Within four ulps of the upper bound e^{x/2} σ is unbounded in double precision: no answer.
        let upper = callX > 0 ? 1 + u : 1 / (1 + u)
        if beta >= upper - 4 * upper.ulp { return .aboveUpperBound }
        let timeValue = beta - intrinsic
        // A time value within two ulps of the price is rounding, not information about σ.
        guard timeValue > 2 * beta.ulp else { return .noTimeValue }
        let otmX = -abs(callX)
        // The time value of an in-the-money option is the out-of-the-money value at -|x|; it must
        // also stay below that option's own upper bound e^{-|x|/2}.
        if timeValue >= 1 / (1 + u) { return .aboveUpperBound }
        return .solved(NormalisedImpliedVolatility.solveOutOfTheMoney(beta: timeValue, x: otmX).s)
    }
}
