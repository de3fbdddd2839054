import Testing

@testable import Platform

@Suite struct SplitMix64Tests {
    // Reference outputs of Vigna's splitmix64.c for seed 1234567.
    @Test("seed 1234567 produces the reference splitmix64.c outputs")
    func referenceVector() {
        var generator = SplitMix64(seed: 1_234_567)
        let words = (0..<5).map { _ in generator.next() }
        #expect(words == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test("word(at:) reads the stream at any position without stepping")
    func randomAccess() {
        var generator = SplitMix64(seed: 42)
        for index in 0..<100 {
            #expect(generator.next() == SplitMix64.word(seed: 42, at: UInt64(index)))
        }
    }

    @Test("bounded draws stay in range and cover it", arguments: [1, 2, 7, 1000] as [UInt64])
    func bounded(bound: UInt64) {
        var generator = SplitMix64(seed: bound)
        var seen = Set<UInt64>()
        for _ in 0..<20_000 {
            let value = generator.next(below: bound)
            #expect(value < bound)
            seen.insert(value)
        }
        #expect(seen.count == Int(min(bound, 1000)))
    }

    @Test("unit-interval draws lie in [0, 1) with a mean near one half")
    func unitInterval() {
        var generator = SplitMix64(seed: 7)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = generator.nextUnitInterval()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.005)
    }

    @Test("keyed streams differ by key and label and are stable")
    func keyed() {
        var a = SplitMix64.keyed(1, label: "collector")
        var b = SplitMix64.keyed(1, label: "broker")
        var c = SplitMix64.keyed(1, label: "collector")
        let first = a.next()
        #expect(first != b.next())
        #expect(first == c.next())
        #expect(SplitMix64.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(SplitMix64.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
    }
}
