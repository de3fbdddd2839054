/// Logarithm and exponential built only from IEEE 754 basic operations (+ − × ÷) and bit moves.
///
/// The platform's libm may differ between machines in the last bit; these do not, so values that
/// feed a digest (random variates, simulated paths) are identical everywhere. Both are accurate
/// to about one ulp over the whole finite range, which tests check against libm.
public enum PortableMath {
    static let ln2High = 6.93147180369123816490e-01  // ln 2 with its low 32 bits zeroed
    static let ln2Low = 1.90821492927058770002e-10  // ln 2 − ln2High

    /// Natural logarithm; `log(0) = -∞`, negative and NaN inputs give NaN.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        var value = x
        var exponent = 0
        if !value.isNormal {  // subnormal: scale into the normal range first
            value *= 0x1.0p54
            exponent -= 54
        }
        // value = m · 2^e with m in [√½, √2).
        let bits = value.bitPattern
        exponent += Int((bits >> 52) & 0x7FF) - 1023
        var mantissa = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if mantissa > 1.4142135623730951 {
            mantissa *= 0.5
            exponent += 1
        }
        // log m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), |s| ≤ 0.1716, so 13 terms reach 1e-19.
        let s = (mantissa - 1) / (mantissa + 1)
        let s2 = s * s
        var series = 1.0 / 27
        var k = 25.0
        while k >= 3 {
            series = series * s2 + 1.0 / k
            k -= 2
        }
        let logMantissa = 2 * s + 2 * s * s2 * series
        let e = Double(exponent)
        return e * ln2High + (e * ln2Low + logMantissa)
    }

    /// The exponential function; overflows to +∞ above 709.78 and underflows to 0 below −745.13.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        // x = k·ln2 + r with |r| ≤ ln2/2; e^r by its Taylor series to degree 15.
        let k = (x * 1.4426950408889634).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        var series = 1.0
        var n = 15.0
        while n >= 1 {
            series = series * r / n + 1
            n -= 1
        }
        return scale(series, by: Int(k))
    }

    /// `value · 2^power`, exact whenever the result is normal, in two steps to reach subnormals.
    static func scale(_ value: Double, by power: Int) -> Double {
        var result = value
        var p = power
        while p > 1000 {
            result *= 0x1.0p1000
            p -= 1000
        }
        while p < -1000 {
            result *= 0x1.0p-1000
            p += 1000
        }
        return result * Double(bitPattern: UInt64(p + 1023) << 52)
    }
}
