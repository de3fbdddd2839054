import Foundation
import Testing

@testable import Platform

@Suite struct NormalisedImpliedVolatilityTests {
    /// Draws (kind, x, s) with s log-uniform in [1e-4, 6] and standardised moneyness h = x/s in [-14, 14].
    static func draw(_ random: inout SplitMix64) -> (kind: OptionKind, x: Double, s: Double) {
        let s = exp(log(1e-4) + (log(6.0) - log(1e-4)) * random.nextUnitInterval())
        let h = -14 + 28 * random.nextUnitInterval()
        return (random.next(below: 2) == 0 ? .call : .put, h * s, s)
    }

    @Test(
        "IV(price(s)) = s over random normalised inputs, within the double price's own resolution",
        arguments: [1, 2, 3, 4] as [UInt64])
    func roundTrip(seed: UInt64) {
        var random = SplitMix64.keyed(seed, label: "iv-round-trip")
        var histogram = [Int](repeating: 0, count: NormalisedImpliedVolatility.iterationsMax + 1)
        var checked = 0
        for _ in 0..<20_000 {
            let (kind, x, s) = Self.draw(&random)
            let beta = NormalisedBlack.value(kind, x: x, s: s)
            let vega = NormalisedBlack.vega(x: x, s: s)
            // Keep inputs whose double price still determines s (the fixtures' own criterion).
            guard beta > 1e-290, vega > 0, Double.ulpOfOne * beta / vega <= 1e-9 * s else {
                continue
            }
            checked += 1
            let result = ImpliedVolatility.normalised(kind, beta: beta, x: x)
            guard case .solved(let solved) = result else {
                Issue.record("seed \(seed): x=\(x) s=\(s) β=\(beta): \(result.code)")
                continue
            }
            let tolerance = max(1e-13 * s, 64 * Double.ulpOfOne * beta / vega)
            if abs(solved - s) > tolerance {
                Issue.record(
                    "seed \(seed): \(kind) x=\(x) s=\(s) solved \(solved) rel \(abs(solved - s) / s) tol \(tolerance / s)"
                )
            }
            let callX = kind == .call ? x : -x
            let evaluations = NormalisedImpliedVolatility.solveOutOfTheMoney(
                beta: beta - NormalisedBlack.intrinsicCall(callX), x: -abs(callX)
            ).evaluations
            histogram[evaluations] += 1
            if evaluations > 6 {
                print("slow: \(kind) x=\(x) s=\(s) β=\(beta) evaluations \(evaluations)")
            }
        }
        print(
            "seed \(seed): \(checked) checked, evaluations histogram \(histogram.enumerated().filter { $0.element > 0 }.map { "\($0.offset):\($0.element)" })"
        )
        #expect(checked > 10_000)
        #expect(histogram[NormalisedImpliedVolatility.iterationsMax] == 0)
    }
}
