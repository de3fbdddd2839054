import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteBehaviourProfileTests {
    @Test("every error type can be injected and answers its documented HTTP status", arguments: KiteErrorType.allCases)
    func injectedErrors(type: KiteErrorType) {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(faults: [KiteInjectedFault(type, probability: 1)]))
        let response = fixture.broker.handle(fixture.get("/user/profile"), at: BrokerFixture.morning)
        #expect(response.status == type.defaultHTTPStatus)
        #expect(BrokerFixture.errorType(response) == type.rawValue)
    }

    @Test("injected faults hit close to their rate and replay exactly for the same seed", arguments: [1, 2, 3] as [UInt64])
    func faultRate(seed: UInt64) {
        let profile = KiteBehaviourProfile(faults: [KiteInjectedFault(.network, probability: 0.2, httpStatus: 503)],
                                           rateLimits: .unlimited)
        func run() -> [Int] {
            var fixture = BrokerFixture(profile: profile, seed: seed)
            return (0..<1000).map { _ in fixture.broker.handle(fixture.get("/user/profile"), at: BrokerFixture.morning).status }
        }
        let statuses = run()
        let failures = statuses.filter { $0 == 503 }.count
        #expect((140...260).contains(failures), "seed \(seed): \(failures) of 1000")
        #expect(run() == statuses)
    }

    @Test("a maintenance window answers 503 NetworkException inside it and normally outside")
    func maintenance() {
        let window = KiteMaintenanceWindow(startSecondOfDay: 10 * 3600, endSecondOfDay: 10 * 3600 + 60)
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(maintenanceWindows: [window]))
        let inside = fixture.broker.handle(fixture.get("/user/profile"), at: BrokerFixture.morning)
        #expect(inside.status == 503 && BrokerFixture.errorType(inside) == "NetworkException")
        let after = fixture.broker.handle(fixture.get("/user/profile"), at: BrokerFixture.morning.adding(nanoseconds: 60_000_000_000))
        #expect(after.status == 200)
    }

    @Test("latency is sampled per request: fixed exactly, log-normal within its cap and replayable")
    func latency() {
        var fixed = BrokerFixture(profile: KiteBehaviourProfile(latency: .fixed(nanoseconds: 42_000_000)))
        #expect(fixed.broker.handle(fixed.get("/user/profile"), at: BrokerFixture.morning).latencyNanoseconds == 42_000_000)
        let random = CounterRandom(seed: 5)
        let latency = KiteLatency.logNormal(medianNanoseconds: 20_000_000, sigma: 0.5, maxNanoseconds: 200_000_000)
        let samples = (0..<2000).map { latency.sample(random, index: UInt64($0)) }
        #expect(samples.allSatisfy { $0 > 0 && $0 <= 200_000_000 })
        let median = samples.sorted()[1000]
        #expect((17_000_000...23_000_000).contains(median))
        #expect(samples == (0..<2000).map { latency.sample(random, index: UInt64($0)) })
    }

    @Test("partial responses drop about the configured fraction; stale ones serve an older snapshot")
    func partialAndStale() throws {
        var partial = BrokerFixture(profile: KiteBehaviourProfile(partialQuoteProbability: 1, partialDropFraction: 0.25))
        let keys = Array(partial.optionKeys.prefix(400))
        let response = partial.broker.handle(partial.get("/quote/ltp", keys.map { KiteField("i", $0) }), at: BrokerFixture.morning)
        let data = try #require(BrokerFixture.json(response)["data"] as? [String: Any])
        #expect((240...360).contains(data.count), "kept \(data.count) of 400")
        var stale = BrokerFixture(profile: KiteBehaviourProfile(staleQuoteProbability: 1, staleAgeNanoseconds: 30_000_000_000))
        let key = stale.optionKeys[0]
        let quote = BrokerFixture.json(stale.broker.handle(stale.get("/quote", [KiteField("i", key)]), at: BrokerFixture.morning))
        let entry = try #require((quote["data"] as? [String: Any])?[key] as? [String: Any])
        #expect(entry["timestamp"] as? String == "2026-11-24 09:59:30")
    }
}
