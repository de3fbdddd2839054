/// SHA-256 (FIPS 180-4), incremental: feed bytes in any number of pieces, then finalise.
///
/// Used for the run digest (a hash of the event log), Kite session checksums and hashed API
/// keys. Checked against the FIPS 180-4 example vectors in the tests.
///
/// ```swift
/// var hash = SHA256()
/// hash.update(Array("abc".utf8))
/// let hex = hash.finalize().hexString  // "ba7816bf…"
/// ```
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var buffer: [UInt8] = []
    private var byteCount: UInt64 = 0

    public init() { buffer.reserveCapacity(64) }

    /// Hashes `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if let done = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        update(Array(bytes))
    }

    /// Appends the bytes in `raw` to the message; whole blocks are compressed without copying.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        byteCount &+= UInt64(raw.count)
        var offset = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, raw.count)
            buffer.append(contentsOf: raw[0..<take])
            offset = take
            if buffer.count == 64 {
                buffer.withUnsafeBytes { compress($0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        while raw.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 64]))
            offset += 64
        }
        if offset < raw.count { buffer.append(contentsOf: raw[offset...]) }
    }

    /// Pads the message and returns its 32-byte digest; the hasher must not be used after.
    public mutating func finalize() -> Digest {
        let bitLength = byteCount &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBytes { raw in
            for start in stride(from: 0, to: raw.count, by: 64) {
                compress(UnsafeRawBufferPointer(rebasing: raw[start..<start + 64]))
            }
        }
        buffer.removeAll()
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return Digest(bytes: out)
    }

    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        // The message schedule lives in a 16-word ring on the stack; rounds 16…63 extend it in place.
        // Rounds go eight at a time with the working variables renamed instead of shifted, so a
        // round is its arithmetic alone.
        var w: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var (a, b, c, d, e, f, g, h) = state
        withUnsafeMutableBytes(of: &w) { raw in
            let ring = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            for t in 0..<16 {
                ring[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
            }
            SHA256.roundConstants.withUnsafeBufferPointer { k in
                let k = k.baseAddress!
                /// The schedule word of round `t` ≥ 16, stored over the one 16 rounds back.
                @inline(__always) func word(_ t: Int) -> UInt32 {
                    let w15 = ring[(t &- 15) & 15]
                    let w2 = ring[(t &- 2) & 15]
                    // σ0 = ror 7 ^ ror 18 ^ shr 3 and σ1 = ror 17 ^ ror 19 ^ shr 10, the rotations nested
                    // (ror(x ^ ror(x, 11), 7) = ror 7 ^ ror 18): one rotation fewer each.
                    let s0 = SHA256.rotate(w15 ^ SHA256.rotate(w15, 11), 7) ^ (w15 &>> 3)
                    let s1 = SHA256.rotate(w2 ^ SHA256.rotate(w2, 2), 17) ^ (w2 &>> 10)
                    let word = ring[t & 15] &+ s0 &+ ring[(t &- 7) & 15] &+ s1
                    ring[t & 15] = word
                    return word
                }
                /// One round with the roles given: `d` and `h` are the two variables it changes.
                @inline(__always) func round(
                    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
                ) {
                    // Σ1 = ror 6 ^ ror 11 ^ ror 25 and Σ0 = ror 2 ^ ror 13 ^ ror 22, the rotations nested.
                    let s1 = SHA256.rotate(SHA256.rotate(SHA256.rotate(e, 14) ^ e, 5) ^ e, 6)
                    let t1 = h &+ s1 &+ (g ^ (e & (f ^ g))) &+ kw
                    let s0 = SHA256.rotate(SHA256.rotate(SHA256.rotate(a, 9) ^ a, 11) ^ a, 2)
                    d = d &+ t1
                    h = t1 &+ s0 &+ ((a & b) | (c & (a | b)))
                }
                /// Eight rounds from `t`, their schedule words from `schedule`.
                @inline(__always) func eight(_ t: Int, _ schedule: (Int) -> UInt32) {
                    round(a, b, c, &d, e, f, g, &h, k[t] &+ schedule(t))
                    round(h, a, b, &c, d, e, f, &g, k[t &+ 1] &+ schedule(t &+ 1))
                    round(g, h, a, &b, c, d, e, &f, k[t &+ 2] &+ schedule(t &+ 2))
                    round(f, g, h, &a, b, c, d, &e, k[t &+ 3] &+ schedule(t &+ 3))
                    round(e, f, g, &h, a, b, c, &d, k[t &+ 4] &+ schedule(t &+ 4))
                    round(d, e, f, &g, h, a, b, &c, k[t &+ 5] &+ schedule(t &+ 5))
                    round(c, d, e, &f, g, h, a, &b, k[t &+ 6] &+ schedule(t &+ 6))
                    round(b, c, d, &e, f, g, h, &a, k[t &+ 7] &+ schedule(t &+ 7))
                }
                // Written out rather than looped so every ring index and constant offset is a literal.
                eight(0) { ring[$0] }
                eight(8) { ring[$0] }
                eight(16, word)
                eight(24, word)
                eight(32, word)
                eight(40, word)
                eight(48, word)
                eight(56, word)
            }
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
            state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
        )
    }

    /// `x` rotated right by `n` bits (0 < n < 32).
    @inline(__always)
    private static func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 { x &>> n | x &<< (32 &- n) }

    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
        0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
        0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
        0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
        0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
        0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
        0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
        0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
        0xc671_78f2,
    ]
}
