import Testing

@testable import Platform

/// The window with its strikes' step worked out once must move exactly as the window that works it
/// out on every update.
@Suite struct ATMWindowTests {
    @Test("update with a precomputed step gives the same strikes, centre and recentres as update alone, over 50 seeds",
          arguments: Array(1...50) as [UInt64])
    func precomputedStepAgrees(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var strikes: [Int64] = []
        var strike = Int64(random.next(below: 1_000)) * 5_000 + 1_000_000
        for _ in 0..<Int(random.next(below: 60)) {
            strikes.append(strike)
            strike += Int64(1 + random.next(below: 3)) * 5_000
        }
        let each = Int(random.next(below: 12))
        let hysteresis = Double(random.next(below: 4)) / 2
        var plain = ATMWindow(strikesEachSide: each, hysteresisSteps: hysteresis)
        var stepped = plain
        let step = ATMWindow.step(strikes)
        var underlying = strikes.first.map { $0 + Int64(random.next(below: UInt64(max(1, strike - $0)))) } ?? 1_000_000
        for _ in 0..<200 {
            underlying += Int64(random.next(below: 20_001)) - 10_000
            #expect(stepped.update(underlyingPaise: underlying, strikes: strikes, step: step)
                    == plain.update(underlyingPaise: underlying, strikes: strikes))
            #expect(stepped == plain)
        }
    }
}

extension ATMWindowTests {
    @Test("a tie between two strikes goes to the lower, and an underlying outside the strikes to the nearest end, searched or scanned")
    func tiesAndEnds() {
        let strikes: [Int64] = [10_000, 20_000, 30_000]
        for underlying: Int64 in [15_000, 25_000, 0, 5_000, 40_000, 30_000, 10_000] {
            var scanned = ATMWindow(strikesEachSide: 1, hysteresisSteps: 0)
            var searched = scanned
            #expect(searched.update(underlyingPaise: underlying, strikes: strikes, step: ATMWindow.step(strikes))
                    == scanned.update(underlyingPaise: underlying, strikes: strikes), "underlying \(underlying)")
            #expect(searched == scanned)
        }
    }
}
