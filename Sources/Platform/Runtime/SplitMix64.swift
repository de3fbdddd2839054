/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, seedable generator.
///
/// It is counter-based at heart: word `n` of the stream is `mix(seed + (n + 1) · γ)`, so
/// `word(at:)` reads any position without stepping through the ones before it. `keyed(_:_:)`
/// derives independent streams, so a component's draws never depend on who drew before it.
public struct SplitMix64: RandomSource, Sendable {
    /// The golden-ratio increment γ = 2⁶⁴ / φ, made odd.
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator's current state; the next word is `mix(state + γ)`.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// Word `index` (0-based) of the stream that starts at `seed`, without stepping.
    public static func word(seed: UInt64, at index: UInt64) -> UInt64 {
        mix(seed &+ (index &+ 1) &* gamma)
    }

    /// A generator for the stream named by (seed, key): distinct keys give unrelated streams.
    public static func keyed(_ seed: UInt64, _ key: UInt64) -> SplitMix64 {
        SplitMix64(seed: mix(seed ^ mix(key &+ gamma)))
    }

    /// A generator for the stream named by (seed, label), hashing the label's UTF-8 with FNV-1a.
    public static func keyed(_ seed: UInt64, label: String) -> SplitMix64 {
        keyed(seed, fnv1a(label))
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix with full avalanche.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a over UTF-8 bytes; stable across processes (unlike `Hasher`).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
