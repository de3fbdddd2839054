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
/// For x ≤ 0 the out-of-the-money call is vega·D(h, t) with h = x/s, t = s/2, the normalised vega
/// `exp(-(h²+t²)/2)/√(2π)` and D = Y(h+t) - Y(h-t), Y = Φ/φ, evaluated without cancellation
/// (`timeValueOverVega`); far above the money in s it is the plain `e^{x/2}Φ(h+t) - e^{-x/2}Φ(h-t)`,
/// whose second term is small. Relative precision is a few ulps throughout (1e-14 on the fixtures).
public enum NormalisedBlack {
    /// The normalised intrinsic value of a call, `max(e^{x/2} - e^{-x/2}, 0) = 2·sinh(x/2)` for x > 0.
    @inlinable
    public static func intrinsicCall(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        // 2·sinh(x/2) = u + u/(1 + u) with u = e^{x/2} - 1: one expm1, no cancellation.
        let u = expm1(0.5 * x)
        return u + u / (1 + u)
    }

    /// The upper bound of a normalised call, `e^{x/2}` (the forward over √(F·K)).
    @inlinable
    public static func upperBoundCall(_ x: Double) -> Double { PortableExponential.exp(0.5 * x) }

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

    /// The out-of-the-money (or at-the-money) call: x ≤ 0, s ≥ 0, to a few ulps.
    @inlinable
    public static func outOfTheMoneyCall(x: Double, s: Double) -> Double {
        precondition(x <= 0, "outOfTheMoneyCall needs x ≤ 0, got \(x)")
        guard s > 0 else { return 0 }
        if x == 0 { return erf(s * (0.5 * NormalDistribution.inverseSqrtTwoHigh)) }
        let h = x / s
        let t = 0.5 * s
        if h + t > 0.85 {
            return PortableExponential.exp(0.5 * x) * NormalDistribution.cdf(h + t)
                - PortableExponential.exp(-0.5 * x) * NormalDistribution.cdf(h - t)
        }
        let vega =
            NormalDistribution.inverseSqrtTwoPi * expOfNegativeHalfSumOfSquares(x: x, s: s, h: h)
        guard vega > 0 else { return 0 }
        return vega * timeValueOverVega(h: h, t: t)
    }

    /// D(h, t) = Y(h+t) - Y(h-t) with Y(z) = Φ(z)/φ(z), so that b = vega·D, for h ≤ 0 and t > 0.
    ///
    /// Three regimes, each free of cancellation where it is used:
    /// - h + t ≤ -10: the asymptotic series Y(z) ~ Σ (-1)^k (2k-1)!!/|z|^{2k+1}, each bracket
    ///   |h-t|^{-m} - |h+t|^{-m} summed as (1+u)^{-m}(E-1)Σ_{i<m}E^i with u = t/|h|, E = (1+u)/(1-u);
    /// - t < 0.2: the Taylor series 2Σ_{k odd} Y^{(k)}(h)t^k/k!, with Y' = 1 + hY and
    ///   Y^{(n+1)} = hY^{(n)} + nY^{(n-1)}, whose absolute error stays at ε·e^{|h|t};
    /// - otherwise the difference of two scaled erfc values, which then cancels at most a factor 25.
    @inlinable
    static func timeValueOverVega(h: Double, t: Double) -> Double {
        let c = NormalDistribution.inverseSqrtTwoHigh
        let sqrtHalfPi = 1.2533141373155002512
        if h + t <= -10 { return asymptoticTimeValueOverVega(h: h, t: t) }
        if t < 0.2 {
            // Y^{(n)} by the forward recurrence, odd terms weighted by t^n/n! (Horner in t²), computed
            // only as far as t needs: past t⁷ (t < 0.01), t¹¹ (t < 0.05), t¹⁷ the terms are below 1e-18.
            let y0 = sqrtHalfPi * NormalDistribution.erfcx(-h * c)
            let y1 = 1 + h * y0
            let tt = t * t
            let y2 = h * y1 + 1 * y0
            let y3 = h * y2 + 2 * y1
            let y4 = h * y3 + 3 * y2
            let y5 = h * y4 + 4 * y3
            let y6 = h * y5 + 5 * y4
            let y7 = h * y6 + 6 * y5
            if t < 0.01 {
                var sum = y7 * 0.0001984126984126984
                sum = y5 * 0.008333333333333333 + tt * sum
                sum = y3 * 0.16666666666666666 + tt * sum
                sum = t * (y1 + tt * sum)
                return 2 * max(sum, 0)
            }
            let y8 = h * y7 + 7 * y6
            let y9 = h * y8 + 8 * y7
            let y10 = h * y9 + 9 * y8
            let y11 = h * y10 + 10 * y9
            if t < 0.05 {
                var sum = y11 * 2.505210838544172e-08
                sum = y9 * 2.7557319223985893e-06 + tt * sum
                sum = y7 * 0.0001984126984126984 + tt * sum
                sum = y5 * 0.008333333333333333 + tt * sum
                sum = y3 * 0.16666666666666666 + tt * sum
                sum = t * (y1 + tt * sum)
                return 2 * max(sum, 0)
            }
            let y12 = h * y11 + 11 * y10
            let y13 = h * y12 + 12 * y11
            let y14 = h * y13 + 13 * y12
            let y15 = h * y14 + 14 * y13
            let y16 = h * y15 + 15 * y14
            let y17 = h * y16 + 16 * y15
            var sum = y17 * 2.8114572543455206e-15
            sum = y15 * 7.647163731819816e-13 + tt * sum
            sum = y13 * 1.6059043836821613e-10 + tt * sum
            sum = y11 * 2.505210838544172e-08 + tt * sum
            sum = y9 * 2.7557319223985893e-06 + tt * sum
            sum = y7 * 0.0001984126984126984 + tt * sum
            sum = y5 * 0.008333333333333333 + tt * sum
            sum = y3 * 0.16666666666666666 + tt * sum
            sum = t * (y1 + tt * sum)
            return 2 * max(sum, 0)
        }
        let difference =
            NormalDistribution.erfcx(-(h + t) * c) - NormalDistribution.erfcx((t - h) * c)
        return sqrtHalfPi * max(difference, 0)
    }

    /// D(h, t) for h + t ≤ -10 from the asymptotic series of Y; see `timeValueOverVega`.
    @inlinable
    static func asymptoticTimeValueOverVega(h: Double, t: Double) -> Double {
        let a = -h
        let u = t / a
        let e = (1 + u) / (1 - u)
        let eMinusOne = 2 * u / (1 - u)
        let inverseOnePlusU = 1 / (1 + u)
        let inverseOnePlusUSquare = inverseOnePlusU * inverseOnePlusU
        let inverseASquare = 1 / (a * a)
        var coefficient = 1.0  // (-1)^k (2k-1)!!
        var inversePowerA = 1 / a  // a^{-m}, m = 2k+1
        var inversePowerOnePlusU = inverseOnePlusU  // (1+u)^{-m}
        var powerE = e  // E^m
        var geometricSum = 1.0  // Σ_{i<m} E^i
        var sum = 0.0
        var k = 0.0
        while k < 60 {
            let term = coefficient * inversePowerA * inversePowerOnePlusU * eMinusOne * geometricSum
            sum += term
            if abs(term) <= 1e-17 * abs(sum) { break }
            coefficient *= -(2 * k + 1)
            inversePowerA *= inverseASquare
            inversePowerOnePlusU *= inverseOnePlusUSquare
            geometricSum += powerE + powerE * e
            powerE *= e * e
            k += 1
        }
        return max(sum, 0)
    }

    /// b(x, s) and the normalised vega together for x ≤ 0, sharing the one exponential.
    @inlinable
    public static func outOfTheMoneyCallAndVega(x: Double, s: Double) -> (
        value: Double, vega: Double
    ) {
        guard s > 0 else { return (0, 0) }
        let h = x / s
        let t = 0.5 * s
        let vega =
            NormalDistribution.inverseSqrtTwoPi * expOfNegativeHalfSumOfSquares(x: x, s: s, h: h)
        if h + t > 0.85 || x == 0 { return (outOfTheMoneyCall(x: x, s: s), vega) }
        guard vega > 0 else { return (0, 0) }
        return (vega * timeValueOverVega(h: h, t: t), vega)
    }

    /// The normalised vega ∂b/∂s = exp(-(h²+t²)/2)/√(2π), the same for calls and puts.
    @inlinable
    public static func vega(x: Double, s: Double) -> Double {
        guard s > 0 else { return 0 }
        return NormalDistribution.inverseSqrtTwoPi
            * expOfNegativeHalfSumOfSquares(x: x, s: s, h: x / s)
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
        let correction =
            NormalDistribution.fmaRemainder(h, h, hSquare)
            + NormalDistribution.fmaRemainder(t, t, tSquare) + twoSumError + 2 * h * hRemainder
        let value = PortableExponential.exp(-0.5 * sum)
        return value - value * (0.5 * correction)
    }
}
