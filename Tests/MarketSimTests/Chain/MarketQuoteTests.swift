import Testing

@testable import MarketSim

@Suite struct MarketQuoteTests {
    @Test("the division-free remainder of depth order counts equals %, for every divisor 1–20 and edge and seeded words")
    func remainderMatchesDivision() {
        var words: [UInt64] = [0, 1, 19, 20, 21, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000_0000, 0x7FFF_FFFF, 0x1_0000_0000, .max]
        var state: UInt64 = 0xD1CE
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            words.append(state)
        }
        for divisor in Int64(1)...20 {
            for word in words {
                let expected = Int64(UInt32(truncatingIfNeeded: word) % UInt32(divisor))
                #expect(Market.remainder(word, divisor) == expected, "\(word) % \(divisor)")
            }
        }
    }
}
