import Testing

@testable import MarketSim

@Suite struct CounterRandomTests {
    // Random123's kat_vectors for philox4x32 with 10 rounds.
    @Test("Philox4x32-10 matches the Random123 known-answer vectors", arguments: [
        ([0, 0, 0, 0], [0, 0], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
        ([0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff], [0xffff_ffff, 0xffff_ffff],
         [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
        ([0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344], [0xa409_3822, 0x299f_31d0],
         [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
    ] as [([UInt32], [UInt32], [UInt32])])
    func philoxKnownAnswers(counter: [UInt32], key: [UInt32], expected: [UInt32]) {
        let out = Philox4x32.block(
            counter: SIMD4(counter[0], counter[1], counter[2], counter[3]), key: SIMD2(key[0], key[1]))
        #expect([out.x, out.y, out.z, out.w] == expected)
    }

    @Test("four Philox blocks side by side equal the four scalar blocks, lane by lane, over seeded counters and keys")
    func sideBySideBlocksMatchScalar() {
        var state: UInt64 = 0x5EED
        func next() -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: state >> 29)
        }
        for _ in 0..<5000 {
            let (c0, c1, c3, k0, k1) = (next(), next(), next(), next(), next())
            let lanes = SIMD4(next(), next(), next(), next())
            let four = Philox4x32.blocks(c0, c1, lanes, c3, key: k0, k1)
            for lane in 0..<4 {
                let one = Philox4x32.block(c0, c1, lanes[lane], c3, key: k0, k1)
                #expect(four.0[lane] == one.0 && four.1[lane] == one.1 && four.2[lane] == one.2 && four.3[lane] == one.3)
            }
        }
    }

    @Test("draws are a pure function of (seed, stream, index), whatever the order of asking")
    func orderIndependent() {
        let random = CounterRandom(seed: 2024)
        let stream = CounterRandom.stream("NIFTY/path")
        let forward = (0..<200).map { random.normal(stream: stream, index: UInt64($0)) }
        let backward = (0..<200).reversed().map { random.normal(stream: stream, index: UInt64($0)) }
        #expect(forward == backward.reversed())
        #expect(CounterRandom(seed: 2025).normal(stream: stream, index: 0) != forward[0])
    }

    @Test("normal variates have mean 0, variance 1 and light tails over 200,000 draws")
    func normalMoments() {
        let random = CounterRandom(seed: 1)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0, beyond3 = 0
        for index in 0..<n {
            let z = random.normal(stream: 7, index: UInt64(index))
            sum += z
            sumSquares += z * z
            if abs(z) > 3 { beyond3 += 1 }
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)  // 4.5 standard errors
        #expect(abs(variance - 1) < 0.015)
        // P(|Z| > 3) = 0.0027: expect 540, with a standard deviation of 23.
        #expect((440...640).contains(beyond3))
    }

    @Test("uniforms fill [0, 1) evenly across ten bins")
    func uniformBins() {
        let random = CounterRandom(seed: 9)
        var bins = [Int](repeating: 0, count: 10)
        for index in 0..<100_000 {
            let u = random.uniform(stream: 3, index: UInt64(index))
            #expect(u >= 0 && u < 1)
            bins[Int(u * 10)] += 1
        }
        #expect(bins.allSatisfy { (9_600...10_400).contains($0) })
    }

    @Test("portable log and exp agree with the platform's libm to within two ulps")
    func portableMath() {
        var state: UInt64 = 12345
        func nextWord() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return CounterRandom.mix(state)
        }
        for _ in 0..<20_000 {
            let x = Double(bitPattern: nextWord() & 0x7FEF_FFFF_FFFF_FFFF)  // positive finite
            let expected = Foundation.log(x)
            #expect(abs(PortableMath.log(x) - expected) <= 2 * expected.ulp)
            let y = Double(nextWord() >> 11) * 0x1.0p-53 * 1400 - 700
            let e = Foundation.exp(y)
            #expect(abs(PortableMath.exp(y) - e) <= 2 * e.ulp)
        }
        #expect(PortableMath.log(1) == 0)
        #expect(PortableMath.exp(0) == 1)
        #expect(PortableMath.log(0) == -.infinity)
        #expect(PortableMath.log(-1).isNaN)
        #expect(PortableMath.exp(1000) == .infinity)
        #expect(PortableMath.exp(-1000) == 0)
        #expect(abs(PortableMath.log(Double.leastNonzeroMagnitude) - Foundation.log(Double.leastNonzeroMagnitude)) < 1e-12)
    }
}

import Foundation
