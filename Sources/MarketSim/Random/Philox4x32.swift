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
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.x &+= weyl0
                k.y &+= weyl1
            }
            let p0 = UInt64(multiplier0) * UInt64(c.x)
            let p1 = UInt64(multiplier1) * UInt64(c.z)
            c = SIMD4(
                UInt32(truncatingIfNeeded: p1 >> 32) ^ c.y ^ k.x,
                UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c.w ^ k.y,
                UInt32(truncatingIfNeeded: p0))
        }
        return c
    }
}
