import Testing

@testable import Platform

@Suite struct SHA1Tests {
    // FIPS 180-4 / NIST CSRC example vectors.
    @Test("the FIPS 180-4 example messages hash to their published SHA-1 digests", arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ])
    func vectors(message: String, expected: String) {
        #expect(SHA1.hash(Array(message.utf8)).hexString == expected)
    }

    @Test("one million 'a' bytes hash to the FIPS 180-4 long-message SHA-1 digest")
    func millionA() {
        #expect(SHA1.hash([UInt8](repeating: 0x61, count: 1_000_000)).hexString == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test("feeding a message in pieces gives the same SHA-1 digest as one call")
    func incremental() {
        let message = (0..<777).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        var random = SplitMix64(seed: 5)
        var hasher = SHA1()
        var offset = 0
        while offset < message.count {
            let upper = min(message.count, offset + Int(random.next(below: 100)))
            hasher.update(message[offset..<upper])
            offset = upper
        }
        #expect(hasher.finalize() == SHA1.hash(message))
    }
}
