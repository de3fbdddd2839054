/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
///
/// A counter-based generator: the output is a pure function of a 128-bit counter and a 64-bit
/// key, so "the numbers for instrument X at step n" are computed directly, whoever asks first.
/// Checked against the Random123 known-answer vectors in the tests.
public enum Philox4x32 {
    @usableFromInline static let multiplier0: UInt32 = 0xD251_1F53
    @usableFromInline static let multiplier1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let weyl0: UInt32 = 0x9E37_79B9
    @usableFromInline static let weyl1: UInt32 = 0xBB67_AE85

    /// The four output words for `counter` under `key`, after ten rounds.
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let out = block(counter.x, counter.y, counter.z, counter.w, key: key.x, key.y)
        return SIMD4(out.0, out.1, out.2, out.3)
    }

    /// `block(counter:key:)` on scalar words: the same rounds without SIMD lane inserts and
    /// extracts, which the optimiser does not remove (the quote path draws five blocks per quote).
    @inlinable @inline(__always)
    public static func block(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32, key k0: UInt32, _ k1: UInt32)
        -> (UInt32, UInt32, UInt32, UInt32)
    {
        var (x0, x1, x2, x3) = (c0, c1, c2, c3)
        var (key0, key1) = (k0, k1)
        for round in 0..<10 {
            if round > 0 {
                key0 &+= weyl0
                key1 &+= weyl1
            }
            let p0 = UInt64(multiplier0) &* UInt64(x0)
            let p1 = UInt64(multiplier1) &* UInt64(x2)
            (x0, x1, x2, x3) = (
                UInt32(truncatingIfNeeded: p1 >> 32) ^ x1 ^ key0, UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ x3 ^ key1, UInt32(truncatingIfNeeded: p0))
        }
        return (x0, x1, x2, x3)
    }

    /// Four blocks side by side whose counters differ only in word 2 (`c2`, one lane per block):
    /// lane `i` of the result is `block(c0, c1, c2[i], c3, key: k0, k1)`.
    ///
    /// The quote path draws one block per depth level; four lanes of 32-bit multiplies and xors
    /// do in one pass what four scalar blocks do one after another.
    @inlinable @inline(__always)
    public static func blocks(
        _ c0: UInt32, _ c1: UInt32, _ c2: SIMD4<UInt32>, _ c3: UInt32, key k0: UInt32, _ k1: UInt32
    ) -> (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>) {
        var x0 = SIMD4<UInt32>(repeating: c0)
        var x1 = SIMD4<UInt32>(repeating: c1)
        var x2 = c2
        var x3 = SIMD4<UInt32>(repeating: c3)
        var (key0, key1) = (k0, k1)
        let m0 = SIMD4<UInt64>(repeating: UInt64(multiplier0))
        let m1 = SIMD4<UInt64>(repeating: UInt64(multiplier1))
        for round in 0..<10 {
            if round > 0 {
                key0 &+= weyl0
                key1 &+= weyl1
            }
            let p0 = SIMD4<UInt64>(truncatingIfNeeded: x0) &* m0
            let p1 = SIMD4<UInt64>(truncatingIfNeeded: x2) &* m1
            (x0, x1, x2, x3) = (
                SIMD4<UInt32>(truncatingIfNeeded: p1 &>> 32) ^ x1 ^ SIMD4(repeating: key0),
                SIMD4<UInt32>(truncatingIfNeeded: p1),
                SIMD4<UInt32>(truncatingIfNeeded: p0 &>> 32) ^ x3 ^ SIMD4(repeating: key1),
                SIMD4<UInt32>(truncatingIfNeeded: p0))
        }
        return (x0, x1, x2, x3)
    }
}
