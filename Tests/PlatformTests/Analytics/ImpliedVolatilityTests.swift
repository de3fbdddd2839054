import Foundation
import Testing

@testable import Platform

@Suite struct ImpliedVolatilityTests {
    @Test(
        "every golden IV row is recovered within max(1e-12, 50·ε·price/vega) and reprices to 1e-12")
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
                    Issue.record(
                        "line \(row.line): σ \(sigma) vs \(row.volatility), err \(error) > \(tolerance); reprice \(repriceError)"
                    )
                }
            }
            let x =
                BlackTerms.logRatio(row.spot, row.strike) + (row.rate - row.dividendYield)
                * row.years
            let beta = row.price / (row.strike * exp(0.5 * x - row.rate * row.years))
            let callX = row.kind == .call ? x : -x
            let evaluations = NormalisedImpliedVolatility.solveOutOfTheMoney(
                beta: beta - NormalisedBlack.intrinsicCall(callX), x: -abs(callX)
            ).evaluations
            evaluationsTotal += evaluations
            evaluationsMax = max(evaluationsMax, evaluations)
        }
        print(
            "IV: worst σ error / tolerance \(worstSigma), worst reprice \(worstReprice), evaluations mean \(Double(evaluationsTotal) / 2000) max \(evaluationsMax)"
        )
        #expect(failures == 0)
    }
}

extension ImpliedVolatilityTests {
    @Test("prices outside the no-arbitrage bounds give typed reasons, never NaN")
    func typedOutcomes() {
        func iv(
            _ kind: OptionKind, _ price: Double, spot: Double = 100, strike: Double = 100,
            years: Double = 0.5
        )
            -> ImpliedVolatilityResult
        {
            ImpliedVolatility.blackScholesMerton(
                kind, price: price, spot: spot, strike: strike, years: years, rate: 0.05,
                dividendYield: 0)
        }
        let discountedStrike = 90 * exp(-0.05 * 0.5)
        let intrinsic = 100 - discountedStrike
        #expect(iv(.call, intrinsic * 0.999, strike: 90) == .belowIntrinsic)
        #expect(iv(.call, intrinsic, strike: 90) == .noTimeValue)
        #expect(iv(.call, 100, strike: 90) == .aboveUpperBound)
        #expect(iv(.call, 150, strike: 90) == .aboveUpperBound)
        #expect(iv(.put, 100 * exp(-0.05 * 0.5), strike: 100) == .aboveUpperBound)
        #expect(iv(.put, -1) == .belowIntrinsic)
        #expect(iv(.put, 0) == .noTimeValue)
        #expect(iv(.call, 0) == .belowIntrinsic)  // the forward is above the strike
        #expect(iv(.call, .nan) == .invalidInput)
        #expect(iv(.call, 5, spot: 0) == .invalidInput)
        #expect(iv(.call, 5, years: 0) == .invalidInput)
        #expect(iv(.call, 5, strike: -.infinity) == .invalidInput)
        #expect(iv(.call, 5).volatility != nil)
    }

    @Test("Black-76 IV inverts Black-76 prices across moneyness and maturities")
    func black76RoundTrip() {
        var random = SplitMix64.keyed(5, label: "b76-iv")
        for _ in 0..<5000 {
            let kind: OptionKind = random.next(below: 2) == 0 ? .call : .put
            let years = exp(
                log(1 / 8760.0) + (log(2.0) - log(1 / 8760.0)) * random.nextUnitInterval())
            let sigma = 0.05 + 1.45 * random.nextUnitInterval()
            let strike =
                100 * exp((-3 + 6 * random.nextUnitInterval()) * sigma * years.squareRoot())
            let price = Black76.price(
                kind, forward: 100, strike: strike, years: years, rate: 0.07, volatility: sigma)
            let vega = Black76.greeks(
                kind, forward: 100, strike: strike, years: years, rate: 0.07, volatility: sigma
            ).vega
            guard Double.ulpOfOne * price / vega <= 1e-9 else { continue }
            let result = ImpliedVolatility.black76(
                kind, price: price, forward: 100, strike: strike, years: years, rate: 0.07)
            let tolerance = max(1e-12, 64 * Double.ulpOfOne * price / vega)
            #expect(
                abs((result.volatility ?? -1) - sigma) <= tolerance,
                "\(kind) K=\(strike) T=\(years) σ=\(sigma)")
        }
    }
}
