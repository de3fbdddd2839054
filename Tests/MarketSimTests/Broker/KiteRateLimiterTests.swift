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
        // A full bucket of 3 at t = 0, then one credit every 1/3 s up to t = 9.9 s: 3 + ⌊9.9 × 3⌋.
        #expect(admitted == 3 + 29)
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
        #expect(limiter.admit(apiKey: "a", family: .quote, at: now) == 1_000_000_000)
        #expect(limiter.admit(apiKey: "b", family: .quote, at: now) == nil)
        #expect(limiter.admit(apiKey: "a", family: .other, at: now) == nil)
        var open = KiteRateLimiter(limits: .unlimited)
        #expect((0..<1000).allSatisfy { _ in open.admit(apiKey: "a", family: .quote, at: now) == nil })
        var fast = KiteRateLimiter(limits: KiteRateLimits(quotePerSecond: 50))
        #expect((0..<50).allSatisfy { _ in fast.admit(apiKey: "a", family: .quote, at: now) == nil })
        #expect(fast.admit(apiKey: "a", family: .quote, at: now) != nil)
    }
}
