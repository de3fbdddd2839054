import MarketSim
import Platform
import Testing

@testable import Chaos

/// A failed first instruments load is retried: the collector must not stall before collecting.
@Suite struct CollectorDiscoveryRetryTests {
    @Test("when the first instruments dump fails the collector loads it again and goes on to store snapshots")
    func firstLoadRetried() {
        let profile = KiteBehaviourProfile(faults: [KiteInjectedFault(.network, probability: 0.5, httpStatus: 503, family: .other)])
        var seedsWithFailedFirstLoad = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let run = CollectorRun(minutes: 1, profile: profile, seed: seed, strikes: 3)
            let failedBeforeDiscovery = run.lines.prefix { !$0.contains("\"kind\":\"discovered\"") }
                .contains { $0.contains("\"kind\":\"instruments_failed\"") }
            if failedBeforeDiscovery { seedsWithFailedFirstLoad += 1 }
            #expect(run.lines(kind: "discovered").count >= 1, "seed \(seed)")
            #expect(run.lines(kind: "snapshot").count > 0, "seed \(seed)")
        }
        #expect(seedsWithFailedFirstLoad > 0)
    }
}
