/// Seeded, counter-based random variates: a pure function of (seed, stream, index).
///
/// A stream names one use ("NIFTY path shocks", "trades of token 12345"); an index names one
/// draw within it (a time step, a trade number). Values depend on nothing else, so a quote can
/// be recomputed at any instant in any order. Uniforms use integer arithmetic only; normals use
/// the polar method over `PortableMath.log` and `squareRoot`, both fixed by IEEE 754, so the same
/// seed gives the same bits on every machine.
public struct CounterRandom: Sendable, Hashable {
    /// The scenario seed this generator was built from.
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The Philox key for a stream: the seed and stream mixed so nearby streams are unrelated.
    @usableFromInline
    func key(stream: UInt64) -> SIMD2<UInt32> {
        let mixed = CounterRandom.mix(seed ^ CounterRandom.mix(stream &+ 0x9E37_79B9_7F4A_7C15))
        return SIMD2(UInt32(truncatingIfNeeded: mixed), UInt32(truncatingIfNeeded: mixed >> 32))
    }

    /// 128 random bits for (stream, index, lane) as two 64-bit words.
    @inlinable
    public func words(stream: UInt64, index: UInt64, lane: UInt32 = 0) -> (UInt64, UInt64) {
        CounterRandom.words(key: key(stream: stream), index: index, lane: lane)
    }

    /// `words(stream:index:lane:)` for a caller holding the stream's key (`key(stream:)`), so hot
    /// loops drawing many counters of one stream mix the key once.
    @inlinable
    static func words(key: SIMD2<UInt32>, index: UInt64, lane: UInt32 = 0) -> (UInt64, UInt64) {
        let out = Philox4x32.block(
            UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32), lane, 0, key: key.x, key.y)
        return (UInt64(out.0) | UInt64(out.1) << 32, UInt64(out.2) | UInt64(out.3) << 32)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public func uniform(stream: UInt64, index: UInt64) -> Double {
        Double(words(stream: stream, index: index).0 >> 11) * 0x1.0p-53
    }

    /// A uniform double in the open interval (0, 1): never 0, so safe under a logarithm.
    @inlinable
    public func openUniform(stream: UInt64, index: UInt64) -> Double {
        (Double(words(stream: stream, index: index).0 >> 11) + 0.5) * 0x1.0p-53
    }

    /// A standard normal variate (mean 0, variance 1) by Marsaglia's polar method.
    public func normal(stream: UInt64, index: UInt64) -> Double {
        // Each rejected pair moves to the next lane; the acceptance rate is π/4, so the loop
        // ends after 1.27 tries on average. 64 rejections in a row has probability ~1e-43.
        for lane in UInt32(0)..<64 {
            let (a, b) = words(stream: stream, index: index, lane: lane)
            let u = Double(a >> 11) * 0x1.0p-52 - 1.0
            let v = Double(b >> 11) * 0x1.0p-52 - 1.0
            let s = u * u + v * v
            if s > 0, s < 1 {
                return u * (-2.0 * PortableMath.log(s) / s).squareRoot()
            }
        }
        preconditionFailure("64 polar-method rejections in a row for stream \(stream) index \(index)")
    }

    /// An exponential variate with the given mean (inverse transform).
    public func exponential(stream: UInt64, index: UInt64, mean: Double) -> Double {
        -mean * PortableMath.log(openUniform(stream: stream, index: index))
    }

    /// A stable stream identifier for a label such as "NIFTY/path", via 64-bit FNV-1a.
    public static func stream(_ label: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A stream identifier combining a base stream with an integer key (a token, an expiry day).
    public static func stream(_ base: UInt64, _ key: UInt64) -> UInt64 {
        mix(base ^ mix(key))
    }

    /// The SplitMix64 finaliser, a bijective 64-bit mix.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
