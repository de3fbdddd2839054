#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normalised Black function b(x, s) = Black(F, K, σ, T)/√(F·K), with x = ln(F/K) and s = σ√T.
///
/// Every Black or Black-Scholes-Merton price is `discount · √(F·K) · b(±x, s)`; working on b lets
/// calls, puts, in- and out-of-the-money options share one carefully evaluated function:
/// - a put is a call on the mirrored moneyness: `put(x, s) = call(-x, s)`;
/// - an in-the-money call is its intrinsic value plus the out-of-the-money call:
///   `call(x, s) = 2·sinh(x/2) + call(-x, s)` for x > 0, so the time value never cancels.
/// For x ≤ 0 the out-of-the-money call is `½·exp(-(h²+t²)/2)·(erfcx(-(h+t)/√2) - erfcx(-(h-t)/√2))`
/// with h = x/s, t = s/2 (both terms positive, no overflow, no underflow until b itself does),
/// or, far above the money in s, the plain `e^{x/2}Φ(h+t) - e^{-x/2}Φ(h-t)` whose second term is small.
public enum NormalisedBlack {
    /// The normalised intrinsic value of a call, `max(e^{x/2} - e^{-x/2}, 0) = 2·sinh(x/2)` for x > 0.
    @inlinable
    public static func intrinsicCall(_ x: Double) -> Double {
        x > 0 ? 2 * sinh(0.5 * x) : 0
    }

    /// The upper bound of a normalised call, `e^{x/2}` (the forward over √(F·K)).
    @inlinable
    public static func upperBoundCall(_ x: Double) -> Double { exp(0.5 * x) }

    /// The normalised call value b(x, s) for any x and s ≥ 0.
    @inlinable
    public static func call(x: Double, s: Double) -> Double {
        x > 0 ? intrinsicCall(x) + outOfTheMoneyCall(x: -x, s: s) : outOfTheMoneyCall(x: x, s: s)
    }

    /// The normalised put value: `call(-x, s)`.
    @inlinable
    public static func put(x: Double, s: Double) -> Double { call(x: -x, s: s) }

    /// The normalised value of an option of `kind`.
    @inlinable
    public static func value(_ kind: OptionKind, x: Double, s: Double) -> Double {
        kind == .call ? call(x: x, s: s) : call(x: -x, s: s)
    }

    /// The out-of-the-money (or at-the-money) call: x ≤ 0, s ≥ 0; relative precision a few ulps
    /// except where s is tiny, where it degrades as ε·|h|/s but stays far inside σ's own conditioning.
    @inlinable
    public static func outOfTheMoneyCall(x: Double, s: Double) -> Double {
        precondition(x <= 0, "outOfTheMoneyCall needs x ≤ 0, got \(x)")
        guard s > 0 else { return 0 }
        if x == 0 { return erf(s * (0.5 * NormalDistribution.inverseSqrtTwoHigh)) }
        let h = x / s
        let t = 0.5 * s
        if h + t > 0.85 {
            return exp(0.5 * x) * NormalDistribution.cdf(h + t)
                - exp(-0.5 * x) * NormalDistribution.cdf(h - t)
        }
        let scale = 0.5 * expOfNegativeHalfSumOfSquares(x: x, s: s, h: h)
        guard scale > 0 else { return 0 }
        let c = NormalDistribution.inverseSqrtTwoHigh
        let difference = NormalDistribution.erfcx(-(h + t) * c) - NormalDistribution.erfcx((t - h) * c)
        return scale * max(difference, 0)
    }

    /// The normalised vega ∂b/∂s = exp(-(h²+t²)/2)/√(2π), the same for calls and puts.
    @inlinable
    public static func vega(x: Double, s: Double) -> Double {
        guard s > 0 else { return 0 }
        return NormalDistribution.inverseSqrtTwoPi * expOfNegativeHalfSumOfSquares(x: x, s: s, h: x / s)
    }

    /// exp(-(h² + t²)/2) with h = x/s and t = s/2, keeping the exponent's rounding error out of the result.
    ///
    /// h is carried as h + δ (δ the exact remainder of x/s), and both squares with their fma remainders,
    /// so the relative error stays a few ulps even at h = 30 where a plain evaluation loses 450 ulps.
    @inlinable
    static func expOfNegativeHalfSumOfSquares(x: Double, s: Double, h: Double) -> Double {
        let t = 0.5 * s
        let hRemainder = x.addingProduct(-h, s) / s
        let hSquare = h * h
        let tSquare = t * t
        let sum = hSquare + tSquare
        let sumError = (hSquare - sum) + tSquare  // exact when |hSquare| ≥ |tSquare|
        let sumErrorSwapped = (tSquare - sum) + hSquare
        let twoSumError = hSquare >= tSquare ? sumError : sumErrorSwapped
        let correction = NormalDistribution.fmaRemainder(h, h, hSquare)
            + NormalDistribution.fmaRemainder(t, t, tSquare) + twoSumError + 2 * h * hRemainder
        let value = exp(-0.5 * sum)
        return value - value * (0.5 * correction)
    }
}
