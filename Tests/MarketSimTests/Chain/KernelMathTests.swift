import Foundation
import Testing

@testable import MarketSim

@Suite struct KernelMathTests {
    @Test("kernel exp and log agree with libm to within 4 ulps over their working ranges")
    func agreesWithLibm() {
        let random = CounterRandom(seed: 99)
        for i in 0..<20_000 {
            let x = -700 + 1_400 * random.uniform(stream: 1, index: UInt64(i))
            let expected = Foundation.exp(x)
            #expect(abs(KernelMath.exp(x) - expected) <= 4 * expected.ulp, "exp(\(x))")
            let y = Foundation.exp(-40 + 80 * random.uniform(stream: 2, index: UInt64(i)))
            let logExpected = Foundation.log(y)
            #expect(abs(KernelMath.log(y) - logExpected) <= 4 * max(logExpected.ulp, Double.ulpOfOne), "log(\(y))")
        }
        #expect(KernelMath.exp(0) == 1 && KernelMath.log(1) == 0)
        #expect(KernelMath.exp(-800) == 0 && KernelMath.exp(800) == .infinity)
        #expect(KernelMath.log(-1).isNaN && KernelMath.log(0).isNaN)
    }
}
