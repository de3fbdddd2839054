import Chaos
import MarketSim
import Platform
import Testing

/// The platform's Kite client against the mock broker, in memory, through the Chaos bridge.
@Suite struct BrokerRoundTripTests {
    static let date = KiteDate(year: 2026, month: 11, day: 24)!
    static let open = Instant(nanosecondsSinceEpoch: KiteInstant(ist: date, hour: 9, minute: 20).nanosecondsSinceEpoch)

    struct Link {
        var broker: KiteBroker<SyntheticBrokerMarket>
        var client = KiteClient(apiKey: "k", apiSecret: "s")

        init(seed: UInt64, profile: KiteBehaviourProfile = .perfect) {
            broker = KiteBroker(
                market: SyntheticBrokerMarket(seed: seed, firstDate: BrokerRoundTripTests.date),
                configuration: KiteBrokerConfiguration(apiKey: "k", apiSecret: "s", checksum: BrokerBridge.checksum,
                                                       seed: seed, profile: profile))
        }

        mutating func login(at now: Instant) throws -> BrokerSession {
            let token = try #require(BrokerBridge.requestToken(from: &broker, apiKey: "k", at: now))
            let response = BrokerBridge.exchange(client.sessionRequest(requestToken: token), with: &broker, at: now)
            return try client.acceptSession(response)
        }

        mutating func send(_ request: BrokerRequest, at now: Instant) -> BrokerResponse {
            BrokerBridge.exchange(request, with: &broker, at: now)
        }
    }

    @Test("login through the real SHA-256 checksum gives a session expiring at 06:00 IST next day")
    func login() throws {
        var link = Link(seed: 1)
        let session = try link.login(at: BrokerRoundTripTests.open)
        #expect(session.expiresAt == ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 6, minute: 0))
        let profile = link.send(try link.client.profileRequest(at: BrokerRoundTripTests.open), at: BrokerRoundTripTests.open)
        #expect(try link.client.parseProfile(profile) == "OS1234")
    }

    @Test("every error type the broker can inject reaches the client as the matching typed error",
          arguments: KiteErrorType.allCases)
    func errorRoundTrip(type: KiteErrorType) throws {
        var link = Link(seed: 2, profile: KiteBehaviourProfile(faults: [KiteInjectedFault(type, probability: 1)]))
        let now = BrokerRoundTripTests.open
        _ = try link.login(at: now)
        let response = link.send(try link.client.quoteRequest(["NSE:NIFTY 50"], mode: .full, at: now), at: now)
        #expect(throws: BrokerError.api(kind: BrokerErrorKind(errorType: type.rawValue),
                                        message: "Injected \(type.rawValue) (simulated fault).",
                                        httpStatus: type.defaultHTTPStatus)) {
            try link.client.parseQuotes(response)
        }
        #expect(BrokerErrorKind(errorType: type.rawValue) != .unknown(type.rawValue))
    }

    @Test("a quote burst gets 429s the client reads as rateLimited with Retry-After; a bad token asks for login")
    func rateLimitAndToken() throws {
        var link = Link(seed: 3)
        let now = BrokerRoundTripTests.open
        _ = try link.login(at: now)
        let request = try link.client.quoteRequest(["NSE:NIFTY 50"], mode: .ltp, at: now)
        #expect(try link.client.parseQuotes(link.send(request, at: now)).count == 1)
        #expect(throws: BrokerError.rateLimited(retryAfter: .seconds(1), message: "Too many requests")) {
            try link.client.parseQuotes(link.send(request, at: now))
        }
        #expect(try link.client.parseQuotes(link.send(request, at: now + .seconds(1))).count == 1)
        var forged = request
        forged.headers = forged.headers.map { $0.name == "Authorization" ? HeaderField("Authorization", "token k:forged") : $0 }
        do {
            _ = try link.client.parseQuotes(link.send(forged, at: now + .seconds(5)))
            Issue.record("a forged token was accepted")
        } catch {
            #expect(error.requiresLogin)
        }
    }

    @Test("quotes served and parsed equal the market model's snapshot at that instant, field by field",
          arguments: [5, 6, 7] as [UInt64])
    func quotesEqualMarket(seed: UInt64) throws {
        var link = Link(seed: seed, profile: KiteBehaviourProfile(rateLimits: .unlimited))
        _ = try link.login(at: BrokerRoundTripTests.open)
        let listed = link.broker.market.instruments(on: BrokerRoundTripTests.date)
        for step in 0..<5 {
            let now = BrokerRoundTripTests.open + .seconds(Int64(step) * 997)
            let keys = Array(listed.map(\.key).prefix(500))
            let quotes = try link.client.parseQuotes(link.send(try link.client.quoteRequest(keys, mode: .full, at: now), at: now))
            #expect(quotes.map(\.key) == keys)
            for (quote, instrument) in zip(quotes, listed) {
                let market = try #require(link.broker.market.quote(token: instrument.instrumentToken, at: BrokerBridge.kiteInstant(now)))
                #expect(quote.instrumentToken == market.instrumentToken)
                #expect(quote.timestamp?.nanosecondsSinceEpoch == market.exchangeTime.nanosecondsSinceEpoch)
                #expect(quote.lastTradeTime?.nanosecondsSinceEpoch == market.lastTradeTime?.nanosecondsSinceEpoch)
                #expect([quote.lastPricePaise, quote.averagePricePaise, quote.openPaise, quote.highPaise, quote.lowPaise,
                         quote.closePaise, quote.upperCircuitPaise, quote.lowerCircuitPaise]
                    == [market.lastPricePaise, market.averagePricePaise, market.openPaise, market.highPaise, market.lowPaise,
                        market.closePaise, market.upperCircuitPaise, market.lowerCircuitPaise])
                #expect([quote.volume, quote.oi, quote.oiDayHigh, quote.oiDayLow, quote.buyQuantity, quote.sellQuantity,
                         quote.lastQuantity]
                    == [market.volume, market.oi, market.oiDayHigh, market.oiDayLow, market.buyQuantity,
                        market.sellQuantity, market.lastQuantity])
                if instrument.segment != "INDICES" {
                    #expect(quote.bids.map(\.pricePaise) == market.bids.map(\.pricePaise))
                    #expect(quote.asks.map(\.quantity) == market.asks.map(\.quantity))
                    #expect(quote.asks.map(\.orders) == market.asks.map(\.orders))
                }
            }
        }
    }

    @Test("the mock's responses decode to the same tops, fast or by key, under partial and stale answers",
          arguments: [11, 12, 13] as [UInt64])
    func topsMatchFullDecode(seed: UInt64) throws {
        var profile = KiteBehaviourProfile(rateLimits: .unlimited)
        profile.partialQuoteProbability = 0.5
        profile.staleQuoteProbability = 0.2
        var link = Link(seed: seed, profile: profile)
        _ = try link.login(at: BrokerRoundTripTests.open)
        let listed = link.broker.market.instruments(on: BrokerRoundTripTests.date)
        var keys = Array(listed.map(\.key).prefix(480))
        keys.insert(keys[7], at: 300)  // a repeat, answered once
        keys.insert("NFO:NOT-LISTED", at: 10)
        let index = QuoteKeyIndex(keys: keys)
        for step in 0..<6 {
            let now = BrokerRoundTripTests.open + .seconds(Int64(step) * 61)
            let response = link.send(try link.client.quoteRequest(keys, mode: .full, at: now), at: now)
            let fast = try link.client.parseQuoteTops(response, keys: index, expectedFirst: 0)
            #expect(fast == (try link.client.matchQuotesByKey(response, keys: index)))
            #expect(fast.unrequested.isEmpty && !fast.matched.isEmpty)
            #expect(fast.matched.allSatisfy { index.keys[$0.position] != "NFO:NOT-LISTED" })
        }
    }

    @Test("the instruments dump and historical candles parse back to the market's values")
    func dumpAndCandles() throws {
        var link = Link(seed: 9)
        let now = BrokerRoundTripTests.open + .seconds(3600)
        _ = try link.login(at: now)
        let instruments = try link.client.parseInstruments(link.send(try link.client.instrumentsRequest(exchange: nil, at: now), at: now))
        let listed = link.broker.market.instruments(on: BrokerRoundTripTests.date)
        #expect(instruments.count == listed.count)
        for (parsed, original) in zip(instruments, listed) {
            #expect(parsed.instrumentToken == original.instrumentToken && parsed.key == original.key)
            #expect(parsed.strikePaise == original.strikePaise && parsed.lotSize == original.lotSize)
            #expect(parsed.expiry.map { "\($0)" } == original.expiry.map { "\($0)" })
        }
        let token = listed[7].instrumentToken
        let from = BrokerRoundTripTests.open
        let request = try link.client.historicalRequest(token: token, interval: "minute", from: from, to: from + .seconds(600),
                                                        oi: true, at: now)
        let candles = try link.client.parseCandles(link.send(request, at: now))
        let expected = link.broker.market.minuteCandles(token: token, from: BrokerBridge.kiteInstant(from),
                                                        to: BrokerBridge.kiteInstant(from + .seconds(600)))
        #expect(candles.count == expected.count && candles.count == 11)
        #expect(candles.map(\.closePaise) == expected.map(\.closePaise))
        #expect(candles.map(\.oi) == expected.map { Optional($0.oi) })
        #expect(candles.map(\.start.nanosecondsSinceEpoch) == expected.map(\.start.nanosecondsSinceEpoch))
    }
}
