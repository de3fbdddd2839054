import Testing

@testable import MarketSim

@Suite struct QuoteRuleTests {
    /// Doubles that stress rounding: ties and their neighbours, both signs, tiny values, values
    /// near the 2⁵¹ switch to the libm path and beyond it, and seeded values of quote magnitudes.
    static func samples() -> [Double] {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0x1p-1074, -0x1p-1074, 0.49999999999999994,
                                -0.49999999999999994, 0x1p51, -0x1p51, 0x1p51 - 0.5, -(0x1p51 - 0.5), 0x1p52, -0x1p52,
                                0x1p52 + 1, 0x1p62, -0x1p62]
        for whole in -1_000...1_000 {
            let tie = Double(whole) + 0.5
            values += [tie, tie.nextUp, tie.nextDown, Double(whole), Double(whole).nextUp, Double(whole).nextDown]
        }
        for exponent in 40...53 {
            let big = Double(sign: .plus, exponent: exponent, significand: 1)
            for offset in [-1.5, -1, -0.5, 0, 0.5, 1, 1.5] {
                values += [big + offset, -(big + offset), (big + offset).nextUp, (big + offset).nextDown]
            }
        }
        var state: UInt64 = 0xD1CE
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            values += [unit * 200_000 - 100_000, (unit - 0.5) * 40, unit * 1e12]
        }
        return values
    }

    @Test("rounding half away from zero without libm equals the standard library's, ties and extremes included")
    func roundedAwayFromZero() {
        for x in Self.samples() {
            #expect(QuoteRule.roundedAwayFromZero(x) == Int64(x.rounded(.toNearestOrAwayFromZero)), "x = \(x)")
        }
    }

    @Test("rounding down without libm equals the standard library's, ties and extremes included")
    func roundedDown() {
        for x in Self.samples() {
            #expect(QuoteRule.roundedDown(x) == Int64(x.rounded(.down)), "x = \(x)")
        }
    }
}
