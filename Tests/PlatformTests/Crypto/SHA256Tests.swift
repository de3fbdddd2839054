import Testing

@testable import Platform

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST CSRC example vectors.
    @Test("the FIPS 180-4 example messages hash to their published digests", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func vectors(message: String, expected: String) {
        #expect(SHA256.hash(Array(message.utf8)).hexString == expected)
    }

    @Test("one million 'a' bytes hash to the FIPS 180-4 long-message digest")
    func millionA() {
        let digest = SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))
        #expect(digest.hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("feeding a message in arbitrary pieces gives the same digest as one call")
    func incremental() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hash(message)
        var random = SplitMix64(seed: 99)
        for _ in 0..<50 {
            var hasher = SHA256()
            var offset = 0
            while offset < message.count {
                let length = Int(random.next(below: 130))
                let upper = min(message.count, offset + length)
                hasher.update(message[offset..<upper])
                offset = upper
            }
            #expect(hasher.finalize() == whole)
        }
    }
}
