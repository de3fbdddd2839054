import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteBrokerQuoteTests {
    static let quoteFields: Set<String> = [
        "instrument_token", "timestamp", "last_trade_time", "last_price", "last_quantity", "buy_quantity",
        "sell_quantity", "volume", "average_price", "oi", "oi_day_high", "oi_day_low", "net_change",
        "lower_circuit_limit", "upper_circuit_limit", "ohlc", "depth",
    ]

    @Test("/quote answers a map keyed by the requested strings with the full shape and 5+5 depth")
    func fullQuoteShape() throws {
        var fixture = BrokerFixture()
        let keys = Array(fixture.optionKeys.prefix(3)) + ["NSE:NIFTY 50"]
        let response = fixture.broker.handle(fixture.get("/quote", keys.map { KiteField("i", $0) }), at: BrokerFixture.morning)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let body = BrokerFixture.json(response)
        #expect(body["status"] as? String == "success")
        let data = try #require(body["data"] as? [String: Any])
        #expect(Set(data.keys) == Set(keys))
        for key in keys {
            let entry = try #require(data[key] as? [String: Any])
            #expect(Set(entry.keys) == KiteBrokerQuoteTests.quoteFields)
            #expect((entry["timestamp"] as? String)?.count == 19)
            let ohlc = try #require(entry["ohlc"] as? [String: Any])
            #expect(Set(ohlc.keys) == ["open", "high", "low", "close"])
            let depth = try #require(entry["depth"] as? [String: [[String: Any]]])
            if key == "NSE:NIFTY 50" {
                #expect(entry["last_trade_time"] as? String == "")
                #expect(depth["buy"]?.isEmpty == true)
            } else {
                #expect((entry["last_trade_time"] as? String)?.count == 19)
                #expect(depth["buy"]?.count == 5 && depth["sell"]?.count == 5)
                #expect(Set(depth["buy"]?[0].keys ?? [:].keys) == ["price", "quantity", "orders"])
            }
        }
    }

    @Test("a key list asked again (its names reused) is answered byte for byte as a fresh broker answers it")
    func repeatedKeyListsAnswerAsFresh() {
        let profile = KiteBehaviourProfile(rateLimits: .unlimited)
        var fixture = BrokerFixture(profile: profile)
        let options = fixture.optionKeys
        let first = Array(options.prefix(4)) + ["NSE:NIFTY 50", options[1], "NFO:NOPE25DEC1CE", options[0]]
        let second = Array(options.dropFirst(4).prefix(5))
        let shorter = Array(first.dropLast()), longer = first + [options[5]]
        for (step, keys) in [first, first, second, first, second, second, shorter, first, longer, first].enumerated() {
            let at = BrokerFixture.morning.adding(nanoseconds: Int64(step) * 1_000_000_000)
            let request = fixture.get("/quote", keys.map { KiteField("i", $0) })
            let served = fixture.broker.handle(request, at: at)
            var fresh = BrokerFixture(profile: profile)
            let expected = fresh.broker.handle(fresh.get("/quote", keys.map { KiteField("i", $0) }), at: at)
            #expect(served.status == 200 && served.body == expected.body, "step \(step)")
            let data = BrokerFixture.json(served)["data"] as? [String: Any]
            #expect(Set(data?.keys.map { $0 } ?? []) == Set(keys).subtracting(["NFO:NOPE25DEC1CE"]), "step \(step)")
        }
    }

    @Test("a query sent again as the same array, a copy or an edit (changed, reordered, repeated, unknown keys, other parameters) is answered as a fresh broker answers it")
    func repeatedQueryArraysAnswerAsFresh() {
        let profile = KiteBehaviourProfile(rateLimits: .unlimited)
        var fixture = BrokerFixture(profile: profile)
        let options = fixture.optionKeys
        for seed in UInt64(1)...6 {
            var state = seed
            func draw(_ bound: Int) -> Int {
                state = CounterRandom.mix(state &+ 0x9E37_79B9_7F4A_7C15)
                return Int(state % UInt64(bound))
            }
            var query = (0..<(1 + draw(8))).map { _ in KiteField("i", options[draw(options.count)]) }
            for step in 0..<10 {
                switch draw(9) {
                case 0: break  // the very same array
                case 1: query = query.map { KiteField($0.name, String(decoding: Array($0.value.utf8), as: UTF8.self)) }
                case 2: query[draw(query.count)].value = options[draw(options.count)]
                case 3: query.swapAt(draw(query.count), draw(query.count))
                case 4: query.append(query[draw(query.count)])
                case 5: query.insert(KiteField("i", "NFO:NOPE25DEC\(draw(9))CE"), at: draw(query.count + 1))
                case 6: query.insert(KiteField("x", options[draw(options.count)]), at: draw(query.count + 1))
                case 7: if query.count > 1 { query.removeLast() }
                default: query = (0..<(1 + draw(8))).map { _ in KiteField("i", options[draw(options.count)]) }
                }
                let at = BrokerFixture.morning.adding(nanoseconds: Int64(step) * 1_000_000_000)
                let served = fixture.broker.handle(fixture.get("/quote", query), at: at)
                var fresh = BrokerFixture(profile: profile)
                let expected = fresh.broker.handle(fresh.get("/quote", query.map { KiteField($0.name, $0.value) }), at: at)
                #expect(served.status == expected.status && served.body == expected.body, "seed \(seed) step \(step)")
            }
        }
    }

    @Test("/quote/ltp and /quote/ohlc answer only their documented fields")
    func ltpAndOHLCShapes() throws {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(rateLimits: .unlimited))
        let key = fixture.optionKeys[0]
        let ltp = BrokerFixture.json(fixture.broker.handle(fixture.get("/quote/ltp", [KiteField("i", key)]), at: BrokerFixture.morning))
        let ltpEntry = try #require((ltp["data"] as? [String: Any])?[key] as? [String: Any])
        #expect(Set(ltpEntry.keys) == ["instrument_token", "last_price"])
        let ohlc = BrokerFixture.json(fixture.broker.handle(fixture.get("/quote/ohlc", [KiteField("i", key)]), at: BrokerFixture.morning))
        let ohlcEntry = try #require((ohlc["data"] as? [String: Any])?[key] as? [String: Any])
        #expect(Set(ohlcEntry.keys) == ["instrument_token", "last_price", "ohlc"])
    }

    @Test("unknown instruments are left out; bare tokens are accepted as keys")
    func unknownOmitted() throws {
        var fixture = BrokerFixture()
        let known = fixture.optionKeys[1]
        let token = fixture.broker.market.instruments(on: BrokerFixture.date)[0].instrumentToken
        let response = fixture.broker.handle(
            fixture.get("/quote", [KiteField("i", "NFO:NOPE25DEC1CE"), KiteField("i", known), KiteField("i", String(token))]),
            at: BrokerFixture.morning)
        let data = try #require(BrokerFixture.json(response)["data"] as? [String: Any])
        #expect(Set(data.keys) == [known, String(token)])
    }

    @Test("more instruments than a route allows is a 400 InputException naming the limit", arguments: [
        ("/quote", 500), ("/quote/ltp", 1000), ("/quote/ohlc", 1000),
    ])
    func instrumentLimits(path: String, limit: Int) {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(rateLimits: .unlimited))
        let at = BrokerFixture.morning
        let keys = (0...limit).map { KiteField("i", "NFO:X\($0)") }
        let over = fixture.broker.handle(fixture.get(path, keys), at: at)
        #expect(over.status == 400 && BrokerFixture.errorType(over) == "InputException")
        #expect(BrokerFixture.json(over)["message"] as? String == "Too many tokens requested. Max permitted is \(limit).")
        #expect(fixture.broker.handle(fixture.get(path, Array(keys.dropLast())), at: at).status == 200)
        let none = fixture.broker.handle(fixture.get(path), at: at)
        #expect(none.status == 400 && BrokerFixture.errorType(none) == "InputException")
    }

    @Test("a key list last answered on a route with a higher limit is still refused on /quote when over its limit")
    func cachedKeyListStillChecksTheLimit() {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(rateLimits: .unlimited))
        let keys = (0...500).map { KiteField("i", "NFO:X\($0)") }
        #expect(fixture.broker.handle(fixture.get("/quote/ltp", keys), at: BrokerFixture.morning).status == 200)
        let over = fixture.broker.handle(fixture.get("/quote", keys), at: BrokerFixture.morning)
        #expect(over.status == 400 && BrokerFixture.json(over)["message"] as? String == "Too many tokens requested. Max permitted is 500.")
    }

    @Test("prices are written in rupees from exact paise")
    func paiseFormatting() {
        func text(_ paise: Int64) -> String {
            var out: [UInt8] = []
            KiteJSON.appendPaise(paise, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(text(2_412_345) == "24123.45")
        #expect(text(2_400_000) == "24000")
        #expect(text(2_400_050) == "24000.5")
        #expect(text(5) == "0.05")
        #expect(text(-150) == "-1.5")
        #expect(text(0) == "0")
    }

    @Test("the served quote equals the market's snapshot at that instant, field by field")
    func servedEqualsMarket() throws {
        var fixture = BrokerFixture()
        let key = fixture.optionKeys[40]
        let now = BrokerFixture.morning.adding(nanoseconds: 3_600_000_000_000)
        let data = try #require(BrokerFixture.json(fixture.broker.handle(fixture.get("/quote", [KiteField("i", key)]), at: now))["data"] as? [String: Any])
        let entry = try #require(data[key] as? [String: Any])
        let instrument = try #require(fixture.broker.market.instruments(on: BrokerFixture.date).first { $0.key == key })
        let expected = try #require(fixture.broker.market.quote(token: instrument.instrumentToken, at: now))
        #expect(entry["instrument_token"] as? Int == Int(expected.instrumentToken))
        #expect(((entry["last_price"] as? NSNumber)?.doubleValue ?? -1) * 100 == Double(expected.lastPricePaise))
        #expect(entry["volume"] as? Int == Int(expected.volume))
        #expect(entry["oi"] as? Int == Int(expected.oi))
        #expect(entry["timestamp"] as? String == KiteTime.timestamp19(expected.exchangeTime))
    }
}
