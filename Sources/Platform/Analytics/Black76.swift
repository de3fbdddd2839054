#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Black-76 on a forward or future F, discounted at the continuous rate r.
///
/// This is the model Indian brokers' chains use, on the same-expiry future (see `ForwardSource` for
/// where F comes from when no future is listed). Conventions: T in years (ACT/365, expiry 15:30 IST),
/// r annual continuously compounded per 1.00, σ annual per 1.00; d₁ = (ln(F/K) + σ²T/2)/(σ√T).
/// Greeks are with respect to F: delta = e^{-rT}Φ(d₁) for a call, gamma = e^{-rT}φ(d₁)/(Fσ√T);
/// vega per 1.00 of σ; theta = -∂V/∂T per year with F fixed; rho = ∂V/∂r with F fixed = -T·V.
public enum Black76 {
    /// The option value alone.
    @inlinable
    public static func price(
        _ kind: OptionKind, forward: Double, strike: Double, years: Double, rate: Double,
        volatility: Double
    ) -> Double {
        let discount = PortableExponential.exp(-rate * years)
        return BlackTerms(
            kind: kind, x: BlackTerms.logRatio(forward, strike), s: volatility * years.squareRoot(),
            discountedForward: forward * discount, discountedStrike: strike * discount
        ).price
    }

    /// The value with delta, gamma, vega, theta, rho, vanna and volga (all with respect to F).
    @inlinable
    public static func greeks(
        _ kind: OptionKind, forward: Double, strike: Double, years: Double, rate: Double,
        volatility: Double
    ) -> OptionGreeks {
        let rootYears = years.squareRoot()
        let s = volatility * rootYears
        let discount = rate == 0 ? 1 : PortableExponential.exp(-rate * years)
        let discountedForward = forward * discount
        let terms = BlackTerms(
            kind: kind, x: BlackTerms.logRatio(forward, strike), s: s,
            discountedForward: discountedForward, discountedStrike: strike * discount)
        let omega = kind.sign
        let forwardDensity = discountedForward * terms.pdfD1
        let vega = forwardDensity * rootYears
        let hasWidth = s > 0
        let decay = hasWidth ? -forwardDensity * volatility / (2 * rootYears) : 0
        return OptionGreeks(
            price: terms.price,
            delta: omega * discount * terms.cdfD1,
            gamma: hasWidth ? discount * terms.pdfD1 / (forward * s) : 0,
            vega: vega,
            theta: rate * terms.price + decay,
            rho: -years * terms.price,
            vanna: hasWidth ? -discount * terms.pdfD1 * terms.d2 / volatility : 0,
            volga: hasWidth ? vega * terms.d1 * terms.d2 / volatility : 0)
    }
}
