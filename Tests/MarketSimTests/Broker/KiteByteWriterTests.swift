import Testing

@testable import MarketSim

/// The quote route's raw writer must print numbers exactly as the reference `KiteJSON` appenders do.
@Suite struct KiteByteWriterTests {
    /// Edge values around every power of ten, the extremes, and seeded random magnitudes.
    static func samples(seed: UInt64) -> [Int64] {
        var values: [Int64] = [0, 1, 9, 10, 11, 99, 100, 101, 105, 110, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1), power + 5, power + 50]
        }
        var state = seed
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bits = Int(state >> 58)
            values.append(Int64(bitPattern: state) >> Int64(bits))
        }
        return values
    }

    @Test("unsigned, int and paise print what KiteJSON prints, for edge and random values", arguments: [1, 2, 3] as [UInt64])
    func numbersMatchReference(seed: UInt64) {
        for value in KiteByteWriterTests.samples(seed: seed) {
            var int: [UInt8] = []
            KiteJSON.appendInt(value, to: &int)
            #expect(KiteByteWriter.build(capacity: 32) { $0.int(value) } == int, "int \(value)")
            #expect(KiteByteWriter.build(capacity: 32) { $0.unsigned(value.magnitude) } == Array(String(value.magnitude).utf8))
            guard value > Int64.min else { continue }
            var paise: [UInt8] = []
            KiteJSON.appendPaise(value, to: &paise)
            #expect(KiteByteWriter.build(capacity: 32) { $0.paise(value) } == paise, "paise \(value)")
        }
    }

    @Test("cached timestamps print what KiteTime prints, across repeats, slot switches and day changes")
    func cachedTimestampsMatchReference() {
        var state: UInt64 = 7
        var instants: [KiteInstant] = []
        var seconds: Int64 = 1_764_044_100  // 2025-11-25 09:45 IST
        for _ in 0..<3000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            switch state >> 61 {
            case 0: seconds += 86_400 - 7  // another day
            case 1, 2: seconds += Int64(state >> 40 & 0xFF)
            default: break  // the same second again
            }
            instants.append(KiteInstant(nanosecondsSinceEpoch: seconds * 1_000_000_000 + Int64(state >> 34 & 0x3FFF_FFFF) % 1_000_000_000))
        }
        var expected: [UInt8] = []
        for instant in instants { expected += Array(KiteTime.timestamp19(instant).utf8) }
        let written = KiteByteWriter.build(capacity: 19 * instants.count) { out in
            for (position, instant) in instants.enumerated() { out.timestamp19(instant, slot: position % 3 == 0 ? 0 : 1) }
        }
        #expect(written == expected)
    }

    @Test("every second of an IST day prints what KiteTime prints, including midnight and 23:59:59")
    func everySecondOfADayMatchesReference() {
        let midnight: Int64 = 1_764_009_000  // 2025-11-25 00:00 IST
        let instants = (0..<86_401).map { KiteInstant(nanosecondsSinceEpoch: (midnight + Int64($0)) * 1_000_000_000) }
        var expected: [UInt8] = []
        for instant in instants { expected += Array(KiteTime.timestamp19(instant).utf8) }
        let written = KiteByteWriter.build(capacity: 19 * instants.count) { out in
            for instant in instants { out.timestamp19(instant) }
        }
        #expect(written == expected)
    }
}
