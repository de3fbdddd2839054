#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The standard normal distribution, accurate to a few ulps in both tails.
///
/// `cdf(x)` is `erfc(-x/√2)/2`, so the upper tail `cdf(+8)` and the lower tail `cdf(-37)` both keep
/// full relative precision: nothing is ever computed as `1 - N(x)`. Use `cdf(-x)` for the complement.
/// The argument `-x/√2` is formed in double-double and its rounding error is corrected to first
/// order, so the relative error stays a few ulps even where `x²` is large.
public enum NormalDistribution {
    /// 1/√(2π).
    @inlinable public static var inverseSqrtTwoPi: Double { 0.39894228040143267793 }
    /// √(2π).
    @inlinable public static var sqrtTwoPi: Double { 2.50662827463100050241 }
    /// 1/√2, high part and the low part that makes the pair exact to about 106 bits.
    @inlinable static var inverseSqrtTwoHigh: Double { 0.70710678118654752440 }
    @inlinable static var inverseSqrtTwoLow: Double { -4.833_646_656_726_456_726_7e-17 }
    /// 2/√π.
    @inlinable static var twoOverSqrtPi: Double { 1.12837916709551257389 }
    /// 1/√π.
    @inlinable static var inverseSqrtPi: Double { 0.56418958354775628694 }

    /// The density φ(x) = exp(-x²/2)/√(2π), with x² split exactly so the tails keep precision.
    @inlinable
    public static func pdf(_ x: Double) -> Double {
        inverseSqrtTwoPi * expOfNegativeHalfSquare(x)
    }

    /// exp(-x²/2), with x² evaluated exactly (x·x plus its fma remainder), corrected to first order.
    @inlinable
    public static func expOfNegativeHalfSquare(_ x: Double) -> Double {
        let square = x * x
        let remainder = fmaRemainder(x, x, square)
        let value = PortableExponential.exp(-0.5 * square)
        return value - value * (0.5 * remainder)
    }

    /// The rounding error of `a*b` given its rounded value `product`: `a*b - product`, exactly.
    @inlinable
    static func fmaRemainder(_ a: Double, _ b: Double, _ product: Double) -> Double {
        (-product).addingProduct(a, b)
    }

    /// The cumulative distribution Φ(x) = P(Z ≤ x), with full relative precision in both tails.
    @inlinable
    public static func cdf(_ x: Double) -> Double {
        // z = -x/√2 in double-double: z = zHigh + zLow.
        let zHigh = -x * inverseSqrtTwoHigh
        let zLow = fmaRemainder(-x, inverseSqrtTwoHigh, zHigh) - x * inverseSqrtTwoLow
        let value = erfc(zHigh)
        // erfc(z + δ) = erfc(z)·(1 - δ·2/(√π·erfcx(z)) + O(δ²)). The correction matters only in the
        // upper tail of erfc (z > 1), where 1/(√π·erfcx(z)) is Laplace's continued fraction below.
        guard zHigh > 1 else { return 0.5 * value }
        let inverseScaled =
            zHigh + 0.5 / (zHigh + 1 / (zHigh + 1.5 / (zHigh + 2 / (zHigh + 2.5 / zHigh))))
        return 0.5 * (value - value * (2 * zLow * inverseScaled))
    }

    /// The scaled complementary error function erfcx(z) = exp(z²)·erfc(z), accurate for all z ≥ -1.
    ///
    /// Below 0.5 it is the plain product; up to 26 the square is split exactly so exp(z²) keeps
    /// full precision; beyond, where erfc underflows, the asymptotic series to ten terms is exact in double.
    @inlinable
    public static func erfcx(_ z: Double) -> Double {
        if z < 0.5 { return PortableExponential.exp(z * z) * erfc(z) }
        if z < 26 {
            let square = z * z
            let remainder = fmaRemainder(z, z, square)
            let scale = PortableExponential.exp(square)
            return (scale + scale * remainder) * erfc(z)
        }
        // erfcx(z) ~ 1/(z√π)·Σ (-1)^k (2k-1)!!/(2z²)^k; at z ≥ 26 ten terms leave < 1e-22.
        let inverseTwoSquare = 1 / (2 * z * z)
        var term = 1.0
        var sum = 1.0
        var k = 1.0
        while k <= 10 {
            term *= -(2 * k - 1) * inverseTwoSquare
            sum += term
            k += 1
        }
        return inverseSqrtPi / z * sum
    }
}
