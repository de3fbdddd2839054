import Foundation
import Testing

@testable import Platform

/// Property tests over random inputs: parity, monotonicity, and every Greek against finite differences.
@Suite struct OptionGreeksPropertyTests {
    struct Inputs {
        var kind: OptionKind
        var spot, strike, years, rate, dividendYield, volatility: Double
    }

    static func draw(_ random: inout SplitMix64) -> Inputs {
        let spot = 50 + 450 * random.nextUnitInterval()
        let years = exp(log(1 / 365.0) + (log(2.0) - log(1 / 365.0)) * random.nextUnitInterval())
        let volatility = 0.05 + 0.95 * random.nextUnitInterval()
        let moneyness = (-1 + 2 * random.nextUnitInterval()) * 2 * volatility * years.squareRoot()
        return Inputs(
            kind: random.next(below: 2) == 0 ? .call : .put, spot: spot,
            strike: spot * exp(moneyness),
            years: years, rate: 0.08 * random.nextUnitInterval(),
            dividendYield: 0.04 * random.nextUnitInterval(), volatility: volatility)
    }

    static func bsm(_ i: Inputs) -> OptionGreeks {
        BlackScholesMerton.greeks(
            i.kind, spot: i.spot, strike: i.strike, years: i.years, rate: i.rate,
            dividendYield: i.dividendYield, volatility: i.volatility)
    }

    @Test("put-call parity: C - P = S·e^{-qT} - K·e^{-rT}", arguments: [1, 2, 3] as [UInt64])
    func parity(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "parity")
        for _ in 0..<2000 {
            var i = Self.draw(&random)
            i.kind = .call
            let call = Self.bsm(i).price
            i.kind = .put
            let put = Self.bsm(i).price
            let forwardValue =
                i.spot * exp(-i.dividendYield * i.years) - i.strike * exp(-i.rate * i.years)
            #expect(
                abs(call - put - forwardValue) <= 1e-13 * max(i.spot, i.strike), "seed \(seed) \(i)"
            )
        }
    }

    @Test(
        "price rises with volatility and Black-76 on the forward equals Black-Scholes-Merton",
        arguments: [1, 2, 3] as [UInt64])
    func monotoneAndBlack76(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "monotone")
        for _ in 0..<2000 {
            var i = Self.draw(&random)
            let base = Self.bsm(i)
            let forward = i.spot * exp((i.rate - i.dividendYield) * i.years)
            let black = Black76.price(
                i.kind, forward: forward, strike: i.strike, years: i.years, rate: i.rate,
                volatility: i.volatility)
            #expect(abs(black - base.price) <= 1e-13 * i.spot, "seed \(seed) \(i)")
            i.volatility *= 1.01
            #expect(Self.bsm(i).price > base.price, "seed \(seed) \(i)")
        }
    }

    /// Central difference of `f` at `x` with step `h`.
    static func derivative(_ x: Double, _ h: Double, _ f: (Double) -> Double) -> Double {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    static func close(_ a: Double, _ b: Double, scale: Double) -> Bool {
        abs(a - b) <= 1e-5 * max(abs(b), scale)
    }

    @Test(
        "Black-Scholes-Merton Greeks agree with central finite differences",
        arguments: [1, 2] as [UInt64])
    func bsmFiniteDifferences(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "bsm-fd")
        for _ in 0..<500 {
            let i = Self.draw(&random)
            let g = Self.bsm(i)
            func with(_ change: (inout Inputs) -> Void) -> OptionGreeks {
                var copy = i
                change(&copy)
                return Self.bsm(copy)
            }
            let dS = 1e-3 * i.spot * i.volatility * i.years.squareRoot()
            let dv = 1e-5
            let delta = Self.derivative(i.spot, dS) { s in with { $0.spot = s }.price }
            let gamma = Self.derivative(i.spot, dS) { s in with { $0.spot = s }.delta }
            let vega = Self.derivative(i.volatility, dv) { v in with { $0.volatility = v }.price }
            let theta = -Self.derivative(i.years, 1e-4 * i.years) { t in with { $0.years = t }.price
            }
            let rho = Self.derivative(i.rate, 1e-5) { r in with { $0.rate = r }.price }
            let vanna = Self.derivative(i.volatility, dv) { v in with { $0.volatility = v }.delta }
            let volga = Self.derivative(i.volatility, dv) { v in with { $0.volatility = v }.vega }
            let scale = 1e-3 * i.spot
            #expect(Self.close(g.delta, delta, scale: 1e-3), "delta \(i)")
            #expect(Self.close(g.gamma, gamma, scale: 1e-3 / i.spot), "gamma \(i)")
            #expect(Self.close(g.vega, vega, scale: scale), "vega \(i)")
            #expect(Self.close(g.theta, theta, scale: scale), "theta \(i)")
            #expect(Self.close(g.rho, rho, scale: scale), "rho \(i)")
            #expect(Self.close(g.vanna, vanna, scale: 1e-3), "vanna \(i)")
            #expect(Self.close(g.volga, volga, scale: scale), "volga \(i)")
        }
    }

    @Test("Black-76 Greeks agree with central finite differences", arguments: [1, 2] as [UInt64])
    func black76FiniteDifferences(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "b76-fd")
        for _ in 0..<500 {
            let i = Self.draw(&random)
            func value(_ f: Double, _ t: Double, _ r: Double, _ v: Double) -> OptionGreeks {
                Black76.greeks(
                    i.kind, forward: f, strike: i.strike, years: t, rate: r, volatility: v)
            }
            let f = i.spot
            let g = value(f, i.years, i.rate, i.volatility)
            let dF = 1e-3 * f * i.volatility * i.years.squareRoot()
            let dv = 1e-5
            let scale = 1e-3 * f
            #expect(
                Self.close(
                    g.delta,
                    Self.derivative(f, dF) { value($0, i.years, i.rate, i.volatility).price },
                    scale: 1e-3))
            #expect(
                Self.close(
                    g.gamma,
                    Self.derivative(f, dF) { value($0, i.years, i.rate, i.volatility).delta },
                    scale: 1e-3 / f))
            #expect(
                Self.close(
                    g.vega,
                    Self.derivative(i.volatility, dv) { value(f, i.years, i.rate, $0).price },
                    scale: scale))
            #expect(
                Self.close(
                    g.theta,
                    -Self.derivative(i.years, 1e-4 * i.years) {
                        value(f, $0, i.rate, i.volatility).price
                    }, scale: scale))
            #expect(
                Self.close(
                    g.rho,
                    Self.derivative(i.rate, 1e-5) { value(f, i.years, $0, i.volatility).price },
                    scale: scale))
            #expect(
                Self.close(
                    g.vanna,
                    Self.derivative(i.volatility, dv) { value(f, i.years, i.rate, $0).delta },
                    scale: 1e-3))
            #expect(
                Self.close(
                    g.volga,
                    Self.derivative(i.volatility, dv) { value(f, i.years, i.rate, $0).vega },
                    scale: scale))
        }
    }

    @Test("zero time or zero volatility gives the discounted intrinsic value and no NaN")
    func degenerate() {
        for kind in OptionKind.allCases {
            for strike in [90.0, 100, 110] {
                for (years, volatility) in [(0.0, 0.2), (0.5, 0.0)] {
                    let g = BlackScholesMerton.greeks(
                        kind, spot: 100, strike: strike, years: years, rate: 0.05,
                        dividendYield: 0.01,
                        volatility: volatility)
                    let values = [
                        g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.vanna, g.volga,
                    ]
                    #expect(
                        values.allSatisfy { $0.isFinite },
                        "\(kind) K=\(strike) T=\(years) σ=\(volatility)")
                    let forward = 100 * exp(-0.01 * years) - strike * exp(-0.05 * years)
                    #expect(abs(g.price - max(kind.sign * forward, 0)) <= 1e-12)
                }
            }
        }
    }
}
