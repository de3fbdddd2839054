import Testing

@testable import MarketSim

/// Hostile requests: the broker must answer every one with a well-formed response, never crash.
@Suite struct KiteBrokerFuzzTests {
    @Test("random methods, paths, parameters and bodies always get JSON/CSV/redirect answers with error_type on errors",
          arguments: [31, 32, 33] as [UInt64])
    func hostileRequests(seed: UInt64) {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(rateLimits: .unlimited), seed: seed)
        let random = CounterRandom(seed: seed)
        let methods = ["GET", "POST", "DELETE", "PUT", "PATCH", ""]
        let paths = ["/quote", "/quote/ltp", "/quote/ohlc", "/instruments", "/instruments/NFO", "/instruments/historical/256265/minute",
                     "/instruments/historical/99999999999/day", "/instruments/historical//", "/session/token", "/connect/login",
                     "/user/profile", "/user/margins/equity", "//", "/quote/", "/%00", ""]
        let values = ["", "9999-12-31 23:59:59", "0000-00-00", "1899-01-01", "2026-11-24 09:15:00", "2026-11-24", "NFO:",
                      ":", "NSE:NIFTY 50", "-1", "4294967296", "1e999", "\u{0}", "ü€😀", String(repeating: "x", count: 5000)]
        let names = ["i", "from", "to", "oi", "interval", "api_key", "access_token", "checksum", "request_token", "v"]
        for step in 0..<400 {
            let (a, b) = random.words(stream: 7, index: UInt64(step))
            var request = fixture.get(paths[Int(a % UInt64(paths.count))])
            request.method = methods[Int((a >> 8) % UInt64(methods.count))]
            for position in 0..<Int((a >> 16) % 12) {
                let pick = b >> UInt64(position * 5)
                request.query.append(KiteField(names[Int(pick % UInt64(names.count))], values[Int((pick >> 3) % UInt64(values.count))]))
            }
            if a >> 40 & 1 == 1 { request.headers = [KiteField("Authorization", values[Int(b % UInt64(values.count))])] }
            request.body = Array(values[Int((b >> 50) % UInt64(values.count))].utf8)
            let response = fixture.broker.handle(request, at: BrokerFixture.morning.adding(nanoseconds: Int64(step) * 1_000_000))
            fixture.broker.checkInvariants()
            let type = response.header("Content-Type") ?? ""
            #expect(["application/json", "text/csv", "text/html; charset=utf-8"].contains(type), "step \(step): '\(type)'")
            if response.status >= 400 { #expect(BrokerFixture.errorType(response) != nil, "step \(step): \(request.method) \(request.path)") }
        }
    }
}
