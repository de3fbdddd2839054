import Testing

@testable import Platform

/// The pure pieces of the live collector: broker URLs, the login redirect, the clock offset.
@Suite struct LiveCollectorPartsTests {
    @Test("broker URLs give host, port and prefix; https, DNS names and bad ports are refused with a reason")
    func brokerURLs() throws {
        let plain = try BrokerURL(parsing: "http://127.0.0.1:8080")
        #expect(plain.host == "127.0.0.1" && plain.port == 8080 && plain.pathPrefix == "")
        let prefixed = try BrokerURL(parsing: "http://localhost:9000/kite/")
        #expect(prefixed.host == "localhost" && prefixed.port == 9000 && prefixed.pathPrefix == "/kite")
        #expect(try BrokerURL(parsing: "http://10.0.0.2").port == 80)
        let refused: [(String, String)] = [
            ("https://api.kite.trade", "https is not supported"), ("ftp://x", "expected http://"),
            ("http://:80", "no host"), ("http://127.0.0.1:0", "port"), ("http://127.0.0.1:70000", "port"),
            ("http://api.kite.trade", "not an IPv4 address"), ("http://[::1]:80", "IPv6 addresses are not supported"),
        ]
        for (text, reason) in refused {
            #expect(throws: BrokerURLError.self) { try BrokerURL(parsing: text) }
            do { _ = try BrokerURL(parsing: text) } catch { #expect(error.description.contains(reason), "\(text): \(error)") }
        }
    }

    @Test("the request token is read from the redirect's query, and only from a non-empty request_token")
    func redirectToken() {
        #expect(LiveCollector.requestToken(inRedirect: "http://127.0.0.1/callback?action=login&status=success&request_token=abc123") == "abc123")
        #expect(LiveCollector.requestToken(inRedirect: "/cb?request_token=t1&status=success") == "t1")
        #expect(LiveCollector.requestToken(inRedirect: "/cb?request_token=") == nil)
        #expect(LiveCollector.requestToken(inRedirect: "/cb?status=success") == nil)
        #expect(LiveCollector.requestToken(inRedirect: "/request_token=x") == nil)
    }

    @Test("a clock started at an instant reads that instant now and advances with real time")
    func shiftedClock() {
        let start = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 9, minute: 20)
        let clock = WallClock.starting(at: start)
        let first = clock.now
        let second = clock.now
        #expect(first >= start && second >= first)
        #expect(first - start < .seconds(60))  // generous: only catches an offset of the wrong sign or unit
    }
}
