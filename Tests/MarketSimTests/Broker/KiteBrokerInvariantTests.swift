import Testing

@testable import MarketSim

@Suite struct KiteBrokerInvariantTests {
    /// A random walk over the broker's inputs: logins, logouts, forged tokens and every route.
    @Test("random sequences of logins, logouts and calls keep the broker's invariants and always answer JSON or CSV",
          arguments: [21, 22, 23, 24] as [UInt64])
    func randomWalk(seed: UInt64) {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(
            faults: [KiteInjectedFault(.general, probability: 0.05)], partialQuoteProbability: 0.1), seed: seed)
        let random = CounterRandom(seed: seed)
        let keys = fixture.optionKeys
        var now = BrokerFixture.morning
        for step in 0..<300 {
            let (choice, detail) = random.words(stream: 99, index: UInt64(step))
            now = now.adding(nanoseconds: Int64(detail % 2_000_000_000))
            let request: KiteHTTPRequest
            switch choice % 8 {
            case 0: fixture.accessToken = fixture.login(at: now); continue
            case 1:
                request = KiteHTTPRequest(method: "DELETE", path: "/session/token", query: [
                    KiteField("api_key", BrokerFixture.apiKey), KiteField("access_token", fixture.accessToken)])
            case 2: request = fixture.get("/user/profile", token: detail % 2 == 0 ? "forged" : nil)
            case 3: request = fixture.get("/instruments/NFO")
            case 4: request = fixture.get("/quote/ltp", (0..<Int(detail % 40)).map { KiteField("i", keys[(Int(detail >> 8 & 0xFFFF) + $0 % 3) % keys.count]) })
            case 5: request = fixture.get("/quote", [KiteField("i", keys[Int(detail % UInt64(keys.count))])])
            case 6: request = fixture.get("/instruments/historical/256265/5minute", [
                KiteField("from", "2026-11-24 09:15:00"), KiteField("to", "2026-11-24 10:00:00"), KiteField("oi", "1")])
            default: request = fixture.get("/no/such/route")
            }
            let response = fixture.broker.handle(request, at: now)
            fixture.broker.checkInvariants()
            let type = response.header("Content-Type") ?? ""
            #expect(type == "application/json" || type == "text/csv", "step \(step): Content-Type '\(type)'")
            if response.status != 200 { #expect(BrokerFixture.errorType(response) != nil, "step \(step): \(response.status)") }
        }
    }

    @Test("ticker connections never hold more tokens than their cap, whatever they are sent")
    func tickerCap() {
        var connection = KiteTickerConnection(tokensMax: 100)
        let random = CounterRandom(seed: 4)
        for step in 0..<200 {
            let (a, b) = random.words(stream: 5, index: UInt64(step))
            let tokens = (0..<Int(a % 60)).map { UInt32(truncatingIfNeeded: b >> UInt64($0 % 32)) % 500 }
            let request: KiteTickerRequest = a % 3 == 0 ? .unsubscribe(tokens) : a % 3 == 1 ? .subscribe(tokens) : .mode(.full, tokens)
            _ = connection.receive(text: Array(request.text.utf8))
            connection.checkInvariants()
        }
    }
}
