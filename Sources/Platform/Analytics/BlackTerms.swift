#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The pieces every Black-type price and Greek is built from, evaluated once per option.
///
/// Given the discounted forward `FD` (S·e^{-qT} for Black-Scholes-Merton, F·e^{-rT} for Black-76),
/// the discounted strike `KD` (K·e^{-rT}), x = ln(F/K) and s = σ√T, the value of an option of sign ω
/// (+1 call, -1 put) is ω·(FD·Φ(ωd₁) - KD·Φ(ωd₂)). When the two terms are within 1/8 of each
/// other the subtraction would lose more than a few ulps, and the price becomes the intrinsic value
/// plus the time value from `NormalisedBlack`'s cancellation-free evaluation instead.
public struct BlackTerms: Sendable {
    /// d₁ = x/s + s/2.
    public var d1: Double
    /// d₂ = x/s - s/2.
    public var d2: Double
    /// Φ(ω·d₁).
    public var cdfD1: Double
    /// Φ(ω·d₂).
    public var cdfD2: Double
    /// φ(d₁).
    public var pdfD1: Double
    /// The discounted option value.
    public var price: Double

    /// Evaluates the terms; `s == 0` gives the intrinsic limits (Φ an indicator, φ zero).
    @inlinable
    public init(
        kind: OptionKind, x: Double, s: Double, discountedForward: Double, discountedStrike: Double
    ) {
        let omega = kind.sign
        guard s > 0 else {
            let d = x > 0 ? Double.infinity : (x < 0 ? -Double.infinity : 0)
            d1 = d
            d2 = d
            cdfD1 = x == 0 ? 0.5 : (omega * d > 0 ? 1 : 0)
            cdfD2 = cdfD1
            pdfD1 = 0
            price = max(omega * (discountedForward - discountedStrike), 0)
            return
        }
        let h = x / s
        let t = 0.5 * s
        d1 = h + t
        d2 = h - t
        // The exact d₁ and d₂ differ from the rounded ones by δ (the remainder of x/s plus the
        // rounding of the sum); first-order corrections Φ(d + δ) ≈ Φ(d) + φ(d)δ and
        // φ(d + δ) ≈ φ(d)(1 - dδ) keep a few ulps where |d| is large.
        let hRemainder = x.addingProduct(-h, s) / s
        let delta1 = Self.sumError(h, t, d1) + hRemainder
        let delta2 = Self.sumError(h, -t, d2) + hRemainder
        let density1 = NormalDistribution.pdf(d1)
        let density2 = NormalDistribution.pdf(d2)
        cdfD1 = NormalDistribution.cdf(omega * d1) + omega * density1 * delta1
        cdfD2 = NormalDistribution.cdf(omega * d2) + omega * density2 * delta2
        pdfD1 = density1 - density1 * d1 * delta1
        let forwardTerm = discountedForward * cdfD1
        let strikeTerm = discountedStrike * cdfD2
        let otmH = -abs(h)
        if min(forwardTerm, strikeTerm) <= 0.875 * max(forwardTerm, strikeTerm) {
            // The terms differ by more than 1/8: the difference loses at most three bits (a few ulps).
            price = max(omega * (forwardTerm - strikeTerm), 0)
        } else {
            // Intrinsic value plus the out-of-the-money time value √(FD·KD)·vega·D(-|h|, t) = FD·φ(d₁)·D,
            // with D evaluated free of cancellation (see NormalisedBlack.timeValueOverVega).
            // FD - KD = KD·(e^x - 1): expm1 keeps the intrinsic value exact where F is near K.
            let intrinsic = max(omega * discountedStrike * expm1(x), 0)
            price =
                intrinsic + discountedForward * pdfD1
                * NormalisedBlack.timeValueOverVega(h: otmH, t: t)
        }
    }

    /// The rounding error of `sum = a + b` (Knuth's TwoSum), exactly.
    @inlinable
    static func sumError(_ a: Double, _ b: Double, _ sum: Double) -> Double {
        let bVirtual = sum - a
        let aVirtual = sum - bVirtual
        return (a - aVirtual) + (b - bVirtual)
    }

    /// ln(a/b), through log1p when a and b are within a factor two so a - b is exact (Sterbenz).
    @inlinable
    public static func logRatio(_ a: Double, _ b: Double) -> Double {
        let ratio = a / b
        if ratio > 0.5 && ratio < 2 { return log1p((a - b) / b) }
        return log(ratio)
    }
}
