import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteBrokerSessionTests {
    @Test("the login flow issues a session whose data carries a 19-character login_time and the tokens")
    func loginFlow() {
        var fixture = BrokerFixture(login: false)
        let now = BrokerFixture.morning
        let requestToken = fixture.requestToken(at: now)
        #expect(requestToken.count == 32)
        let response = fixture.broker.handle(fixture.sessionRequest(requestToken), at: now)
        #expect(response.status == 200)
        let data = BrokerFixture.json(response)["data"] as? [String: Any] ?? [:]
        #expect((data["login_time"] as? String) == "2026-11-24 10:00:00")
        #expect((data["access_token"] as? String)?.count == 32)
        #expect(data["refresh_token"] as? String == "")
        #expect(data["user_id"] as? String == "OS1234")
        #expect(data["api_key"] as? String == BrokerFixture.apiKey)
    }

    @Test("a wrong checksum, a reused or an expired request token all answer 403 TokenException")
    func badSessionExchanges() {
        var fixture = BrokerFixture(login: false)
        let now = BrokerFixture.morning
        let token = fixture.requestToken(at: now)
        let wrong = fixture.broker.handle(fixture.sessionRequest(token, checksum: "deadbeef"), at: now)
        #expect(wrong.status == 403 && BrokerFixture.errorType(wrong) == "TokenException")
        #expect(fixture.broker.handle(fixture.sessionRequest(token), at: now).status == 200)
        let reused = fixture.broker.handle(fixture.sessionRequest(token), at: now)
        #expect(reused.status == 403 && BrokerFixture.errorType(reused) == "TokenException")
        let late = fixture.requestToken(at: now)
        let expired = fixture.broker.handle(fixture.sessionRequest(late), at: now.adding(nanoseconds: 301_000_000_000))
        #expect(expired.status == 403 && BrokerFixture.errorType(expired) == "TokenException")
        let missing = fixture.broker.handle(KiteHTTPRequest(method: "POST", path: "/session/token"), at: now)
        #expect(missing.status == 400 && BrokerFixture.errorType(missing) == "InputException")
    }

    @Test("access tokens work until 06:00 IST the next day and are refused from then on")
    func tokenExpiry() {
        var fixture = BrokerFixture()
        let nextDay = BrokerFixture.date.adding(days: 1)
        let before = KiteInstant(ist: nextDay, hour: 5, minute: 59, second: 59)
        #expect(fixture.broker.handle(fixture.get("/user/profile"), at: before).status == 200)
        let after = KiteInstant(ist: nextDay, hour: 6, minute: 0)
        let expired = fixture.broker.handle(fixture.get("/user/profile"), at: after)
        #expect(expired.status == 403 && BrokerFixture.errorType(expired) == "TokenException")
        #expect(KiteSessionBook.expiry(afterLogin: KiteInstant(ist: nextDay, hour: 2, minute: 0)) == after)
    }

    @Test("logout answers data true and ends the session; a wrong Authorization is 403")
    func logout() {
        var fixture = BrokerFixture()
        let now = BrokerFixture.morning
        let bad = fixture.broker.handle(fixture.get("/user/profile", token: "nope"), at: now)
        #expect(bad.status == 403 && BrokerFixture.errorType(bad) == "TokenException")
        let response = fixture.broker.handle(KiteHTTPRequest(
            method: "DELETE", path: "/session/token",
            query: [KiteField("api_key", BrokerFixture.apiKey), KiteField("access_token", fixture.accessToken)]), at: now)
        #expect(response.status == 200 && BrokerFixture.json(response)["data"] as? Bool == true)
        #expect(fixture.broker.handle(fixture.get("/user/profile"), at: now).status == 403)
    }

    @Test("a fresh login ends the previous session of the same key, as a login elsewhere does")
    func freshLoginEndsOldSession() {
        var fixture = BrokerFixture()
        let old = fixture.accessToken
        let now = BrokerFixture.morning
        let fresh = fixture.login(at: now)
        #expect(fresh != old)
        #expect(fixture.broker.handle(fixture.get("/user/profile", token: old), at: now).status == 403)
        #expect(fixture.broker.handle(fixture.get("/user/profile", token: fresh), at: now).status == 200)
    }

    @Test("unknown routes are 404 and wrong methods 405, both with a JSON error envelope")
    func unknownRoutes() {
        var fixture = BrokerFixture()
        let missing = fixture.broker.handle(fixture.get("/nope"), at: BrokerFixture.morning)
        #expect(missing.status == 404 && BrokerFixture.errorType(missing) == "GeneralException")
        var post = fixture.get("/quote")
        post.method = "POST"
        let wrongMethod = fixture.broker.handle(post, at: BrokerFixture.morning)
        #expect(wrongMethod.status == 405 && BrokerFixture.errorType(wrongMethod) == "InputException")
    }

    @Test("profile and margins answer the documented shapes")
    func profileAndMargins() {
        var fixture = BrokerFixture()
        let profile = BrokerFixture.json(fixture.broker.handle(fixture.get("/user/profile"), at: BrokerFixture.morning))
        let data = profile["data"] as? [String: Any] ?? [:]
        for key in ["user_id", "user_type", "email", "user_name", "user_shortname", "broker", "exchanges", "products",
                    "order_types", "meta"] {
            #expect(data[key] != nil, "profile lacks \(key)")
        }
        let margins = BrokerFixture.json(fixture.broker.handle(fixture.get("/user/margins"), at: BrokerFixture.morning))
        let equity = (margins["data"] as? [String: Any])?["equity"] as? [String: Any]
        #expect((equity?["available"] as? [String: Any])?["cash"] as? Int == 1_000_000)
    }
}
