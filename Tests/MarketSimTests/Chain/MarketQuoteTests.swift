import Testing

@testable import MarketSim

/// The depth draws' arithmetic against its plain definition.
@Suite struct MarketQuoteTests {
    @Test("the depth remainder by multiplication equals the 32-bit % for every divisor 1...20, at the range's edges, near multiples and over 20,000 seeded words")
    func remainderMatchesDivision() {
        let random = CounterRandom(seed: 0x5EED)
        var words: [UInt64] = Array(0...1_000)
        for below in UInt64(0)...1_000 { words.append(UInt64(UInt32.max) - below) }
        for d in UInt64(1)...20 {
            for k in UInt64(0)...50 { words += [d * k * 977, d * k * 977 + d - 1] }
        }
        for index in UInt64(0)..<20_000 { words.append(random.words(stream: 7, index: index).0) }
        var mismatches: [(word: UInt64, divisor: Int64)] = []
        for d in Int64(1)...20 {
            for word in words {
                let expected = Int64(UInt32(truncatingIfNeeded: word) % UInt32(d))
                // The high half of a draw's word is ignored, as the 32-bit division ignores it.
                if Market.remainder(word, d) != expected || Market.remainder(word | 0xFFFF_FFFF_0000_0000, d) != expected {
                    mismatches.append((word, d))
                }
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}
