import Testing

@testable import Platform

@Suite struct Base64Tests {
    // RFC 4648 §10 test vectors.
    @Test("the RFC 4648 vectors encode and decode", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("text that is not padded Base64 is refused", arguments: ["Zg=", "Z", "Zm9v!A==", "===="])
    func invalid(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("random bytes survive an encode/decode round trip")
    func roundTrip() {
        var random = SplitMix64(seed: 11)
        for length in 0..<80 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}
