import Testing

@testable import Platform

@Suite struct NormalDistributionTests {
    // References from mpmath at 40 digits, correctly rounded.
    @Test(
        "the CDF keeps relative precision deep in both tails",
        arguments: [
            (-37.5, 4.605353009581955e-308), (-30, 4.906713927148187e-198),
            (-10, 7.619853024160525e-24),
            (-5, 2.866515718791939e-07), (-1, 0.15865525393145705), (-0.001, 0.49960105778608893),
            (0.5, 0.6914624612740131), (3, 0.9986501019683699), (8, 0.9999999999999993),
        ])
    func cdfTails(x: Double, reference: Double) {
        #expect(abs(NormalDistribution.cdf(x) - reference) <= 8 * reference.ulp)
    }

    @Test(
        "erfcx is accurate on both sides of its branch points",
        arguments: [
            (-0.5, 1.952360489182557), (0.3, 0.7345993345676551), (2, 0.25539567631050575),
            (10, 0.05614099274382259), (25.9, 0.021767181150738214), (26.1, 0.021600627726346206),
            (100, 0.005641613782989433), (1e5, 5.6418958351954685e-06),
        ])
    func scaledComplement(z: Double, reference: Double) {
        #expect(abs(NormalDistribution.erfcx(z) - reference) <= 8 * reference.ulp)
    }

    @Test(
        "the quantile inverts the CDF",
        arguments: [
            (1e-10, -6.361340902404057), (0.025, -1.9599639845400543), (0.975, 1.9599639845400543),
        ])
    func quantile(p: Double, reference: Double) {
        #expect(abs(NormalDistribution.inverseCDF(p) - reference) <= 1e-13 * abs(reference))
    }

    @Test("the CDF and its mirror sum to one, and the density is symmetric")
    func symmetry() {
        var random = SplitMix64(seed: 9)
        for _ in 0..<1000 {
            let x = -8 + 16 * random.nextUnitInterval()
            #expect(abs(NormalDistribution.cdf(x) + NormalDistribution.cdf(-x) - 1) <= 4e-16)
            #expect(NormalDistribution.pdf(x) == NormalDistribution.pdf(-x))
        }
    }
}
