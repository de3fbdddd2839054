import Foundation
import Testing

@testable import Platform

@Suite struct PortableExponentialTests {
    @Test("the portable exponential is within one ulp of the platform's over the whole range")
    func matchesLibm() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<200_000 {
            let x = -745 + 1454 * random.nextUnitInterval()
            let reference = Foundation.exp(x)
            let value = PortableExponential.exp(x)
            let tolerance =
                max(reference.ulp, Double.leastNonzeroMagnitude) * (reference < 2.3e-308 ? 2 : 1)
            #expect(abs(value - reference) <= tolerance, "x = \(x)")
        }
    }

    @Test("edges: 0, overflow, underflow, NaN")
    func edges() {
        #expect(PortableExponential.exp(0) == 1)
        #expect(PortableExponential.exp(710) == .infinity)
        #expect(PortableExponential.exp(-746) == 0)
        #expect(PortableExponential.exp(.nan).isNaN)
        #expect(PortableExponential.exp(-.infinity) == 0)
    }
}
