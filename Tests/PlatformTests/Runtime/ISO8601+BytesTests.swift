import Testing

@testable import Platform

/// The byte formatter of instants must write exactly what `ISO8601.format` returns.
@Suite struct ISO8601BytesTests {
    @Test("ISO8601.append writes the bytes of ISO8601.format for instants across the whole Int64 span",
          arguments: Array(1...20) as [UInt64])
    func matchesFormat(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Int64 nanoseconds plus the IST offset must not overflow, as in `ISO8601.format`.
        let limit = Int64.max - ISO8601.istOffsetSeconds * 1_000_000_000
        var instants: [Int64] = [0, -1, 1, 999_999_999, 1_000_000_000, -1_000_000_000, limit, Int64.min, 1_700_000_000_123_000_000]
        for _ in 0..<2000 {
            switch random.next(below: 4) {
            case 0: instants.append(random.next(in: Int64.min...limit))
            case 1: instants.append(random.next(in: -5_000_000_000...5_000_000_000) * 1_000_000_000)
            case 2: instants.append(random.next(in: 1_700_000_000_000...1_900_000_000_000) * 1_000_000)
            default: instants.append(random.next(in: 1_700_000_000_000_000_000...1_900_000_000_000_000_000))
            }
        }
        for nanoseconds in instants {
            let instant = Instant(nanosecondsSinceEpoch: nanoseconds)
            var bytes: [UInt8] = []
            ISO8601.append(instant, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == ISO8601.format(instant), "\(nanoseconds)")
        }
    }
}
