import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteRateLimiterTests {
    @Test("a burst of n requests at one instant gets exactly n − limit 429s, for every family", arguments: [
        ("/quote", 1), ("/instruments/historical/256265/minute", 3), ("/user/profile", 10),
    ])
    func burst(path: String, limit: Int) {
        for burst in [1, limit, limit + 1, 25] {
            var fixture = BrokerFixture()
            let query = path.hasPrefix("/quote") ? [KiteField("i", "NSE:NIFTY 50")]
                : [KiteField("from", "2026-11-24 09:15:00"), KiteField("to", "2026-11-24 09:20:00")]
            let statuses = (0..<burst).map { _ in fixture.broker.handle(fixture.get(path, query), at: BrokerFixture.morning) }
            let limited = statuses.filter { $0.status == 429 }
            #expect(statuses.filter { $0.status == 200 }.count == min(burst, limit))
            #expect(limited.count == max(0, burst - limit))
            for response in limited {
                #expect(BrokerFixture.errorType(response) == "NetworkException")
                #expect(BrokerFixture.json(response)["message"] as? String == "Too many requests")
                #expect(response.header("Retry-After") == "1")
            }
        }
    }

    @Test("requests spaced at the limit's rate are all admitted; faster ones are not")
    func steadyRate() {
        var limiter = KiteRateLimiter(limits: .kite)
        var admitted = 0
        for step in 0..<100 {
            let at = KiteInstant(nanosecondsSinceEpoch: Int64(step) * 100_000_000)
            if limiter.admit(apiKey: "k", family: .historical, at: at) == nil { admitted += 1 }
        }
        // A full bucket of 3 at t = 0, then one credit every 1/3 s; the 250 ms jitter allowance lets
        // a request in up to 250 ms before its slot: 3 + ⌊(9.9 + 0.25) × 3⌋.
        #expect(admitted == 3 + 30)
        var quote = KiteRateLimiter(limits: .kite)
        for second in 0..<20 {
            #expect(quote.admit(apiKey: "k", family: .quote, at: KiteInstant(secondsSinceEpoch: Int64(second))) == nil)
        }
    }

    @Test("limits are kept per API key and per family, and can be disabled or overridden")
    func independence() {
        var limiter = KiteRateLimiter(limits: .kite)
        let now = KiteInstant(secondsSinceEpoch: 1_000)
        #expect(limiter.admit(apiKey: "a", family: .quote, at: now) == nil)
        #expect(limiter.admit(apiKey: "a", family: .quote, at: now) == 750_000_000)  // 1 s less the 250 ms allowance
        #expect(limiter.admit(apiKey: "b", family: .quote, at: now) == nil)
        #expect(limiter.admit(apiKey: "a", family: .other, at: now) == nil)
        var open = KiteRateLimiter(limits: .unlimited)
        #expect((0..<1000).allSatisfy { _ in open.admit(apiKey: "a", family: .quote, at: now) == nil })
        var fast = KiteRateLimiter(limits: KiteRateLimits(quotePerSecond: 50))
        #expect((0..<50).allSatisfy { _ in fast.admit(apiKey: "a", family: .quote, at: now) == nil })
        #expect(fast.admit(apiKey: "a", family: .quote, at: now) != nil)
    }

    @Test("a once-a-second client whose requests arrive with up to ±100 ms of jitter is never limited, yet the long-run rate stays 1/s")
    func jitterAllowance() {
        var limiter = KiteRateLimiter(limits: .kite)
        var state: UInt64 = 7
        var admitted = 0
        for second in 0..<10_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let jitter = Int64(state >> 33) % 200_000_000 - 100_000_000
            let at = KiteInstant(nanosecondsSinceEpoch: Int64(second) * 1_000_000_000 + jitter)
            if limiter.admit(apiKey: "k", family: .quote, at: at) == nil { admitted += 1 }
        }
        #expect(admitted == 10_000)
        var burst = KiteRateLimiter(limits: .kite)
        let flood = (0..<10_000).filter { step in
            burst.admit(apiKey: "k", family: .quote, at: KiteInstant(nanosecondsSinceEpoch: Int64(step) * 100_000_000)) == nil
        }.count
        #expect(flood <= 1_001)  // 1,000 s of requests every 100 ms: one per second plus the first
    }
}
