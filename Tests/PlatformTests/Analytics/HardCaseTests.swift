import Foundation
import Testing

@testable import Platform

/// The wider mpmath fixtures in `fixtures/golden/hard_*.csv` (see hard.md): minutes to ten years,
/// σ from 1% to 400%, ±12 standard deviations.
@Suite struct HardCaseTests {
    static func rows(_ name: String) throws -> [[Substring]] {
        try GoldenFixtures.rows(name).map(\.fields)
    }

    @Test("price and Greeks match the hard fixtures to 1e-10 relative or 1e-12·S absolute")
    func greeks() throws {
        var failures = 0
        for f in try Self.rows("hard_bs.csv") {
            let v = f.dropFirst().map { Double($0)! }
            let g = BlackScholesMerton.greeks(
                OptionKind(code: f[0])!, spot: v[0], strike: v[1], years: v[2], rate: v[3],
                dividendYield: v[4],
                volatility: v[5])
            let pairs = [
                (g.price, v[6], v[0]), (g.delta, v[7], 1), (g.gamma, v[8], v[0]),
                (g.vega, v[9], v[0]),
                (g.theta, v[10], v[0]), (g.rho, v[11], v[0]),
            ]
            for (value, reference, scale) in pairs
            where abs(value - reference) > max(1e-10 * abs(reference), 1e-12 * scale) {
                failures += 1
                Issue.record("\(f.joined(separator: ",")): \(value) vs \(reference)")
            }
        }
        #expect(failures == 0)
    }

    @Test("implied volatility recovers σ on every hard row within max(1e-12, 50·ε·price/vega)")
    func impliedVolatility() throws {
        let rows = try Self.rows("hard_iv.csv")
        #expect(rows.count > 400)
        for f in rows {
            let v = f.dropFirst().map { Double($0)! }
            let result = ImpliedVolatility.blackScholesMerton(
                OptionKind(code: f[0])!, price: v[5], spot: v[0], strike: v[1], years: v[2],
                rate: v[3],
                dividendYield: v[4])
            let tolerance = max(1e-12, 50 * Double.ulpOfOne * v[5] / v[7])
            #expect(
                abs((result.volatility ?? -1) - v[6]) <= tolerance,
                "\(f.joined(separator: ",")) → \(result)")
        }
    }
}
