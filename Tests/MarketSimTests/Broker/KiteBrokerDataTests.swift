import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteBrokerDataTests {
    @Test("/instruments is text/csv with the 12 columns in order and no empty numeric field")
    func instrumentsDump() throws {
        var fixture = BrokerFixture()
        let response = fixture.broker.handle(fixture.get("/instruments"), at: BrokerFixture.morning)
        #expect(response.status == 200 && response.header("Content-Type") == "text/csv")
        let lines = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        #expect(String(lines[0]) == KiteInstrumentsCSV.header)
        let listed = fixture.broker.market.instruments(on: BrokerFixture.date)
        #expect(lines.count == listed.count + 1)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 12)
            for column in [0, 1, 4, 6, 7, 8] { #expect(!fields[column].isEmpty, "empty column \(column) in \(line)") }
            #expect(fields[5].isEmpty || fields[5].count == 10)
            let token = try #require(UInt32(fields[0]))
            let exchangeToken = try #require(UInt32(fields[1]))
            #expect(token == exchangeToken * 256 + (fields[10] == "INDICES" ? 9 : 2))
        }
        #expect(lines[1] == "256265,1001,NIFTY 50,NIFTY 50,0,,0.0,0,0,EQ,INDICES,NSE")
        let nfo = fixture.broker.handle(fixture.get("/instruments/NFO"), at: BrokerFixture.morning)
        let nfoLines = String(decoding: nfo.body, as: UTF8.self).split(separator: "\n")
        #expect(nfoLines.count == listed.count)
        #expect(nfoLines.dropFirst().allSatisfy { $0.hasSuffix(",NFO") })
        #expect(nfoLines[1].contains(",24.0,") == false && nfoLines.contains { $0.contains(",24000.0,0.05,65,") })
    }

    @Test("tradingsymbols follow Kite's weekly, monthly and future patterns")
    func symbols() {
        let weekly = KiteDate(year: 2025, month: 12, day: 16)!
        let monthly = KiteDate(year: 2025, month: 12, day: 30)!
        #expect(SyntheticBrokerMarket.symbol(expiry: weekly, strike: 2_400_000, type: "CE") == "NIFTY25D1624000CE")
        #expect(SyntheticBrokerMarket.symbol(expiry: monthly, strike: 2_400_000, type: "PE") == "NIFTY25DEC24000PE")
        #expect(SyntheticBrokerMarket.symbol(expiry: monthly, strike: nil, type: "FUT") == "NIFTY25DECFUT")
        #expect(SyntheticBrokerMarket.symbol(expiry: KiteDate(year: 2026, month: 1, day: 6)!, strike: 2_400_000, type: "CE")
            == "NIFTY2610624000CE")
    }

    @Test("minute candles carry OI only when asked, with Kite's +0530 timestamps")
    func historicalMinute() throws {
        var fixture = BrokerFixture()
        let token = fixture.broker.market.instruments(on: BrokerFixture.date)[5].instrumentToken
        let query = [KiteField("from", "2026-11-24 09:15:00"), KiteField("to", "2026-11-24 09:24:00"),
                     KiteField("interval", "minute"), KiteField("continuous", "0"), KiteField("oi", "1")]
        let response = fixture.broker.handle(fixture.get("/instruments/historical/\(token)/minute", query), at: BrokerFixture.morning)
        #expect(response.status == 200)
        let candles = try #require((BrokerFixture.json(response)["data"] as? [String: Any])?["candles"] as? [[Any]])
        #expect(candles.count == 10)
        #expect(candles[0][0] as? String == "2026-11-24T09:15:00+0530")
        #expect(candles.allSatisfy { $0.count == 7 })
        var withoutOI = query
        withoutOI[4] = KiteField("oi", "0")
        let plain = fixture.broker.handle(fixture.get("/instruments/historical/\(token)/minute", withoutOI), at: BrokerFixture.morning)
        let plainCandles = try #require((BrokerFixture.json(plain)["data"] as? [String: Any])?["candles"] as? [[Any]])
        #expect(plainCandles.allSatisfy { $0.count == 6 })
    }

    @Test("longer intervals aggregate minutes into buckets aligned to 09:15, day candles at midnight")
    func historicalAggregation() throws {
        let market = SyntheticBrokerMarket(seed: 3, firstDate: BrokerFixture.date)
        let token = market.allInstruments[9].instrumentToken
        let from = KiteInstant(ist: BrokerFixture.date, hour: 9, minute: 15)
        let to = KiteInstant(ist: BrokerFixture.date, hour: 9, minute: 44)
        let minutes = market.minuteCandles(token: token, from: from, to: to)
        let fives = KiteBroker<SyntheticBrokerMarket>.aggregate(minutes, interval: .fiveMinute)
        #expect(fives.count == 6)
        #expect(fives[1].start == KiteInstant(ist: BrokerFixture.date, hour: 9, minute: 20))
        #expect(fives[0].openPaise == minutes[0].openPaise && fives[0].closePaise == minutes[4].closePaise)
        #expect(fives[0].volume == minutes[0..<5].reduce(0) { $0 + $1.volume })
        #expect(fives[0].highPaise == minutes[0..<5].map(\.highPaise).max())
        let day = KiteBroker<SyntheticBrokerMarket>.aggregate(minutes, interval: .day)
        #expect(day.count == 1 && day[0].start == KiteInstant(ist: BrokerFixture.date, hour: 0, minute: 0))
    }

    @Test("bad intervals, bad dates and too long ranges are 400 InputException")
    func historicalErrors() {
        var fixture = BrokerFixture(profile: KiteBehaviourProfile(rateLimits: .unlimited))
        let at = BrokerFixture.morning
        let range = [KiteField("from", "2026-01-01 09:15:00"), KiteField("to", "2026-11-24 09:20:00")]
        for (path, query) in [
            ("/instruments/historical/256265/week", range),
            ("/instruments/historical/abc/minute", range),
            ("/instruments/historical/256265/minute", [KiteField("from", "yesterday"), KiteField("to", "today")]),
            ("/instruments/historical/256265/minute", range),
        ] {
            let response = fixture.broker.handle(fixture.get(path, query), at: at)
            #expect(response.status == 400 && BrokerFixture.errorType(response) == "InputException", "\(path)")
        }
        #expect(fixture.broker.handle(fixture.get("/instruments/historical/256265/day", range), at: at).status == 200)
    }
}
