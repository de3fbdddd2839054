/// e^x from IEEE 754 basic operations and fused multiply-add only: fast, inlinable, and the same bits
/// on every machine (unlike the platform libm, whose last-ulp behaviour varies).
///
/// Cody-Waite reduction x = k·ln2 + r with |r| ≤ ln2/2 (ln2 split so k·ln2_hi is exact), the Taylor
/// polynomial of e^r to degree 13 (Estrin-evaluated; truncation below 4e-18 relative), then scaling
/// by 2^k through the exponent bits. Error within about one ulp over the whole range; subnormal results are scaled in two steps.
public enum PortableExponential {
    /// e^x; 0 below -745.2, +∞ above 709.79, NaN for NaN.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        guard x > -745.2 else { return x.isNaN ? x : 0 }
        guard x < 709.79 else { return .infinity }
        // Round to nearest by adding and removing 1.5·2⁵² (exact for |k| < 2⁵¹): no libm call.
        let k = (x * 1.4426950408889634 + 6_755_399_441_055_744.0) - 6_755_399_441_055_744.0
        let r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        // Estrin's scheme: the same polynomial as Horner's, in four levels instead of thirteen
        // dependent steps (without hardware FMA each step is a multiply and an add).
        let r2 = r * r
        let r4 = r2 * r2
        let r8 = r4 * r4
        let p23 = 0.5 + 0.16666666666666666 * r
        let p45 = 0.041666666666666664 + 0.008333333333333333 * r
        let p67 = 0.001388888888888889 + 0.0001984126984126984 * r
        let p89 = 2.48015873015873e-05 + 2.7557319223985893e-06 * r
        let p1011 = 2.755731922398589e-07 + 2.505210838544172e-08 * r
        let p1213 = 2.08767569878681e-09 + 1.6059043836821613e-10 * r
        let q = (p23 + r2 * p45) + r4 * (p67 + r2 * p89) + r8 * (p1011 + r2 * p1213)
        // 1 + (r + r²q): the leading 1 is added last so r keeps all its bits.
        let p = 1 + (r + r2 * q)
        let exponent = Int64(k)
        if exponent >= -1022 {
            return p * Double(bitPattern: UInt64(exponent + 1023) << 52)
        }
        // Subnormal result: scale by 2^(k + 600) first, then by 2^-600.
        return p * Double(bitPattern: UInt64(exponent + 600 + 1023) << 52) * 0x1p-600
    }
}
