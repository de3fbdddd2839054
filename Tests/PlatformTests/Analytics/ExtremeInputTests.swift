import Foundation
import Testing

@testable import Platform

/// Fuzzing over extreme inputs: nothing crashes, loops, or returns NaN; IV is a typed status or a
/// finite positive σ that reprices the input.
@Suite struct ExtremeInputTests {
    static func logUniform(_ random: inout SplitMix64, _ low: Double, _ high: Double) -> Double {
        exp(log(low) + (log(high) - log(low)) * random.nextUnitInterval())
    }

    @Test(
        "Greeks stay finite for S/K over twenty decades, T to 100 years and σ to 10",
        arguments: [1, 2] as [UInt64])
    func greeksFinite(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "extreme-greeks")
        for _ in 0..<20_000 {
            let kind: OptionKind = random.next(below: 2) == 0 ? .call : .put
            let spot = Self.logUniform(&random, 1e-5, 1e5)
            let strike = Self.logUniform(&random, 1e-5, 1e5)
            let years = Self.logUniform(&random, 1e-9, 100)
            let sigma = Self.logUniform(&random, 1e-4, 10)
            let rate = -0.05 + 0.3 * random.nextUnitInterval()
            let g = BlackScholesMerton.greeks(
                kind, spot: spot, strike: strike, years: years, rate: rate, dividendYield: 0.02,
                volatility: sigma)
            let values = [g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.vanna, g.volga]
            #expect(
                values.allSatisfy { $0.isFinite },
                "\(kind) S=\(spot) K=\(strike) T=\(years) σ=\(sigma)")
            #expect(g.price >= 0)
        }
    }

    @Test(
        "IV on arbitrary prices is a typed status or a σ that reprices them",
        arguments: [1, 2] as [UInt64])
    func impliedTyped(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "extreme-iv")
        for _ in 0..<20_000 {
            let kind: OptionKind = random.next(below: 2) == 0 ? .call : .put
            let spot = Self.logUniform(&random, 1e-3, 1e5)
            let strike = spot * Self.logUniform(&random, 1e-3, 1e3)
            let years = Self.logUniform(&random, 1e-8, 50)
            let rate = -0.02 + 0.2 * random.nextUnitInterval()
            let price: Double
            switch random.next(below: 4) {
            case 0: price = Self.logUniform(&random, 1e-300, 1e6)
            case 1: price = -Self.logUniform(&random, 1e-10, 10)
            case 2: price = 0
            default:
                price = BlackScholesMerton.price(
                    kind, spot: spot, strike: strike, years: years, rate: rate, dividendYield: 0,
                    volatility: Self.logUniform(&random, 1e-3, 5))
            }
            let result = ImpliedVolatility.blackScholesMerton(
                kind, price: price, spot: spot, strike: strike, years: years, rate: rate,
                dividendYield: 0)
            guard let sigma = result.volatility else { continue }
            #expect(
                sigma.isFinite && sigma > 0, "\(kind) S=\(spot) K=\(strike) T=\(years) p=\(price)")
            let repriced = BlackScholesMerton.price(
                kind, spot: spot, strike: strike, years: years, rate: rate, dividendYield: 0,
                volatility: sigma)
            #expect(
                abs(repriced - price) <= 1e-12 * price + 1e-300,
                "\(kind) S=\(spot) K=\(strike) T=\(years) p=\(price) σ=\(sigma) → \(repriced)")
        }
    }
}
