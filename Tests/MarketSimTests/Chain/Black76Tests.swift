import Testing

@testable import MarketSim

@Suite struct Black76Tests {
    @Test("200 generated cases: bounds, put–call parity and the implied-variance round trip hold")
    func boundsParityRoundTrip() {
        let random = CounterRandom(seed: 12)
        for i in 0..<200 {
            let f = 1_000 + 80_000 * random.uniform(stream: 1, index: UInt64(i))
            let k = f * PortableMath.exp(0.6 * (random.uniform(stream: 2, index: UInt64(i)) - 0.5))
            let w = 0.000_01 + 0.2 * random.uniform(stream: 3, index: UInt64(i))
            let d = PortableMath.exp(-0.07 * random.uniform(stream: 4, index: UInt64(i)))
            let (c, p) = Black76.prices(forward: f, strike: k, totalVariance: w, discount: d)
            let eps = 1e-9 * f
            #expect(c >= max(0, d * (f - k)) - eps && c <= d * f + eps)
            #expect(p >= max(0, d * (k - f)) - eps && p <= d * k + eps)
            #expect(abs(c - p - d * (f - k)) <= eps)
            if c - max(0, d * (f - k)) > 1e-6 * f {
                let implied = Black76.impliedTotalVariance(call: c, forward: f, strike: k, discount: d)
                #expect(implied.map { abs($0.squareRoot() - w.squareRoot()) <= 1e-6 } == true, "w=\(w) k/f=\(k / f)")
            }
        }
    }

    @Test("with zero variance the prices are the discounted intrinsic values")
    func intrinsicAtExpiry() {
        let (c, p) = Black76.prices(forward: 100, strike: 90, totalVariance: 0, discount: 1)
        #expect(c == 10 && p == 0)
        #expect(Black76.impliedTotalVariance(call: 9, forward: 100, strike: 90, discount: 1) == nil)
    }
}

import Foundation

@Suite struct NormalCDFTests {
    @Test("the portable normal CDF agrees with libm's erfc to 1e-14 absolute, and to 1e-8 relative in the lower tail down to −37")
    func agreesWithLibm() {
        var x = -38.0
        while x <= 38 {
            let expected = 0.5 * erfc(-x / 2.0.squareRoot())
            let got = Black76.normalCDF(x)
            #expect(abs(got - expected) <= 1e-14, "x=\(x)")
            if x < 0, x > -37 { #expect(abs(got / expected - 1) <= 1e-8, "x=\(x) rel") }
            x += 0.01
        }
        #expect(Black76.normalCDF(0) == 0.5)
    }
}
