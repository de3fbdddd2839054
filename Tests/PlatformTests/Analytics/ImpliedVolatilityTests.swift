import Foundation
import Testing

@testable import Platform

@Suite struct ImpliedVolatilityTests {
    @Test("every golden IV row is recovered within max(1e-12, 50·ε·price/vega) and reprices to 1e-12")
    func golden() throws {
        var failures = 0
        var worstSigma = 0.0
        var worstReprice = 0.0
        var evaluationsTotal = 0
        var evaluationsMax = 0
        for row in try GoldenFixtures.implied() {
            let result = ImpliedVolatility.blackScholesMerton(
                row.kind, price: row.price, spot: row.spot, strike: row.strike, years: row.years,
                rate: row.rate, dividendYield: row.dividendYield)
            guard let sigma = result.volatility else {
                failures += 1
                Issue.record("line \(row.line): \(result.code)")
                continue
            }
            let reference = BlackScholesMerton.greeks(
                row.kind, spot: row.spot, strike: row.strike, years: row.years, rate: row.rate,
                dividendYield: row.dividendYield, volatility: row.volatility)
            let tolerance = max(1e-12, 50 * Double.ulpOfOne * row.price / reference.vega)
            let error = abs(sigma - row.volatility)
            worstSigma = max(worstSigma, error / tolerance)
            let repriced = BlackScholesMerton.price(
                row.kind, spot: row.spot, strike: row.strike, years: row.years, rate: row.rate,
                dividendYield: row.dividendYield, volatility: sigma)
            let repriceError = abs(repriced - row.price) / row.price
            worstReprice = max(worstReprice, repriceError)
            if error > tolerance || repriceError > 1e-12 {
                failures += 1
                if failures < 12 {
                    Issue.record("line \(row.line): σ \(sigma) vs \(row.volatility), err \(error) > \(tolerance); reprice \(repriceError)")
                }
            }
            let x = BlackTerms.logRatio(row.spot, row.strike) + (row.rate - row.dividendYield) * row.years
            let beta = row.price / (row.strike * exp(0.5 * x - row.rate * row.years))
            let callX = row.kind == .call ? x : -x
            let evaluations = NormalisedImpliedVolatility.solveOutOfTheMoney(
                beta: beta - NormalisedBlack.intrinsicCall(callX), x: -abs(callX)).evaluations
            evaluationsTotal += evaluations
            evaluationsMax = max(evaluationsMax, evaluations)
        }
        print("IV: worst σ error / tolerance \(worstSigma), worst reprice \(worstReprice), evaluations mean \(Double(evaluationsTotal) / 2000) max \(evaluationsMax)")
        #expect(failures == 0)
    }
}
