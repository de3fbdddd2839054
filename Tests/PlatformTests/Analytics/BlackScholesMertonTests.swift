import Testing

@testable import Platform

@Suite struct BlackScholesMertonTests {
    /// The fixture's tolerance: relative 1e-12 where |value| ≥ 1e-6·S (1e-6 for delta), else 1e-12·S absolute.
    static func withinTolerance(_ value: Double, _ reference: Double, scale: Double) -> Bool {
        let error = abs(value - reference)
        if abs(reference) >= 1e-6 * scale { return error <= 1e-12 * abs(reference) }
        return error <= 1e-12 * scale
    }

    @Test("price, delta, gamma, vega, theta and rho match all 2,000 golden rows to 1e-12")
    func golden() throws {
        var worst: [String: Double] = [:]
        var failures = 0
        for row in try GoldenFixtures.pricing() {
            let g = BlackScholesMerton.greeks(
                row.kind, spot: row.spot, strike: row.strike, years: row.years, rate: row.rate,
                dividendYield: row.dividendYield, volatility: row.volatility)
            let checks: [(String, Double, Double, Double)] = [
                ("price", g.price, row.price, row.spot), ("delta", g.delta, row.delta, 1),
                ("gamma", g.gamma, row.gamma, row.spot), ("vega", g.vega, row.vega, row.spot),
                ("theta", g.theta, row.theta, row.spot), ("rho", g.rho, row.rho, row.spot),
            ]
            for (name, value, reference, scale) in checks {
                let relative = abs(value - reference) / max(abs(reference), 1e-300)
                if abs(reference) >= 1e-6 * scale { worst[name] = max(worst[name] ?? 0, relative) }
                if !Self.withinTolerance(value, reference, scale: scale) {
                    failures += 1
                    if failures < 10 {
                        Issue.record("line \(row.line) \(name): \(value) vs \(reference) (rel \(relative))")
                    }
                }
            }
        }
        print("worst relative errors:", worst.sorted { $0.key < $1.key })
        #expect(failures == 0)
    }
}
