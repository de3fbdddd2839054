#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Black-Scholes-Merton on spot with continuous rate r and continuous dividend (carry) yield q.
///
/// Conventions: `years` is the time to expiry T as a year fraction (ACT/365, see `TimeToExpiry`);
/// r and q are annual, continuously compounded, per 1.00 (0.07 is 7%); σ is annual, per 1.00.
/// The forward is F = S·e^{(r-q)T}; d₁ = (ln(S/K) + (r - q + σ²/2)T)/(σ√T), d₂ = d₁ - σ√T.
/// Greeks follow `OptionGreeks`: spot delta and gamma, vega per 1.00 of σ, theta per year
/// (-∂V/∂T), rho per 1.00 of r with q fixed. Inputs: S, K > 0; T, σ ≥ 0; all finite.
/// T = 0 or σ = 0 gives the intrinsic value and its limits (gamma, vega, vanna, volga zero).
public enum BlackScholesMerton {
    /// The option value alone.
    @inlinable
    public static func price(
        _ kind: OptionKind, spot: Double, strike: Double, years: Double, rate: Double,
        dividendYield: Double, volatility: Double
    ) -> Double {
        let rootYears = years.squareRoot()
        let x = BlackTerms.logRatio(spot, strike) + (rate - dividendYield) * years
        return BlackTerms(
            kind: kind, x: x, s: volatility * rootYears,
            discountedForward: spot * PortableExponential.exp(-dividendYield * years),
            discountedStrike: strike * PortableExponential.exp(-rate * years)
        ).price
    }

    /// The value with delta, gamma, vega, theta, rho, vanna and volga.
    @inlinable
    public static func greeks(
        _ kind: OptionKind, spot: Double, strike: Double, years: Double, rate: Double,
        dividendYield: Double, volatility: Double
    ) -> OptionGreeks {
        let rootYears = years.squareRoot()
        let s = volatility * rootYears
        let x = BlackTerms.logRatio(spot, strike) + (rate - dividendYield) * years
        let dividendDiscount =
            dividendYield == 0 ? 1 : PortableExponential.exp(-dividendYield * years)
        let rateDiscount = rate == 0 ? 1 : PortableExponential.exp(-rate * years)
        let discountedSpot = spot * dividendDiscount
        let discountedStrike = strike * rateDiscount
        let terms = BlackTerms(
            kind: kind, x: x, s: s, discountedForward: discountedSpot,
            discountedStrike: discountedStrike)
        let omega = kind.sign
        let spotDensity = discountedSpot * terms.pdfD1  // S·e^{-qT}·φ(d₁)
        let vega = spotDensity * rootYears
        let hasWidth = s > 0
        let gamma = hasWidth ? dividendDiscount * terms.pdfD1 / (spot * s) : 0
        let decay = hasWidth ? -spotDensity * volatility / (2 * rootYears) : 0
        let theta =
            decay - omega * rate * discountedStrike * terms.cdfD2
            + omega * dividendYield * discountedSpot * terms.cdfD1
        return OptionGreeks(
            price: terms.price,
            delta: omega * dividendDiscount * terms.cdfD1,
            gamma: gamma,
            vega: vega,
            theta: theta,
            rho: omega * years * discountedStrike * terms.cdfD2,
            vanna: hasWidth ? -dividendDiscount * terms.pdfD1 * terms.d2 / volatility : 0,
            volga: hasWidth ? vega * terms.d1 * terms.d2 / volatility : 0)
    }
}
