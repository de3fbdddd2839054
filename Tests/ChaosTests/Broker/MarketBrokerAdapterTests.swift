import Chaos
import MarketSim
import Testing

/// The broker's view of the market: cached per session, answers independent of the asking order.
@Suite struct MarketBrokerAdapterTests {
    static let date = KiteDate(year: 2026, month: 11, day: 25)!

    /// A spread of the day's tokens: spot indices, futures and options near and far from the money.
    static func tokens(_ adapter: MarketBrokerAdapter) -> [UInt32] {
        let instruments = adapter.instruments(on: date)
        return stride(from: 0, to: instruments.count, by: max(1, instruments.count / 40)).map { instruments[$0].instrumentToken }
            + instruments.prefix(3).map(\.instrumentToken)
    }

    @Test("over 4 seeds, quotes asked in time order, then shuffled (back in time too) and again, equal the market's uncached quotes")
    func orderNeverMatters() throws {
        for seed in [UInt64(1), 7, 42, 20_261_124] {
            let inOrder = MarketBrokerAdapter(seed: seed, indices: ["NIFTY", "BANKNIFTY"])
            let shuffled = MarketBrokerAdapter(seed: seed, indices: ["NIFTY", "BANKNIFTY"])
            let market = try #require(inOrder.market(on: TradingDate(year: 2026, month: 11, day: 25)))
            let tokens = Self.tokens(inOrder)
            let seconds = [0, 1, 2, 59, 60, 61, 300, 4_000, 4_001]
            var expected: [[KiteQuote?]] = []
            for second in seconds {
                let instant = KiteInstant(nanosecondsSinceEpoch: market.spec.calendar.time(market.date, secondOfSession: second)
                    .nanosecondsSinceEpoch)
                expected.append(tokens.map { inOrder.quote(token: $0, at: instant) })
                for (token, quote) in zip(tokens, expected.last!) {
                    let direct = market.quote(token: Int64(token), at: MarketTime(nanosecondsSinceEpoch: instant.nanosecondsSinceEpoch))
                    #expect(quote?.lastPricePaise == direct?.lastPricePaise && quote?.volume == direct?.volume
                            && quote?.oi == direct?.openInterest && quote?.bids == direct?.buyDepth
                            && quote?.asks == direct?.sellDepth, "seed \(seed) token \(token) second \(second)")
                }
            }
            #expect(expected.joined().allSatisfy { $0 != nil })
            let random = CounterRandom(seed: seed)
            var order = (0..<(2 * seconds.count * tokens.count)).map { ($0, random.words(stream: 5, index: UInt64($0)).0) }
            order.sort { $0.1 < $1.1 }
            for (n, _) in order {
                let i = n % (seconds.count * tokens.count)
                let (s, t) = (i / tokens.count, i % tokens.count)
                let instant = KiteInstant(nanosecondsSinceEpoch: market.spec.calendar.time(market.date, secondOfSession: seconds[s])
                    .nanosecondsSinceEpoch)
                #expect(shuffled.quote(token: tokens[t], at: instant) == expected[s][t],
                        "seed \(seed) token \(tokens[t]) second \(seconds[s]) shuffled")
            }
        }
    }

    /// A NIFTY adapter whose market falls 12% at 10:00 on 2026-11-25, setting off a 10% circuit breaker.
    static func halted() throws -> (MarketBrokerAdapter, Market, MarketHalt) {
        let day = TradingDate(year: 2026, month: 11, day: 25)
        var spec = MarketSpec.standard
        spec.shocks = [MarketShock(date: day, second: 2_700, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.88)))]
        let adapter = MarketBrokerAdapter(seed: 11, indices: ["NIFTY"], spec: spec)
        let market = try #require(adapter.market(on: day))
        return (adapter, market, try #require(market.halts.first))
    }

    @Test("minute candles skip the minutes a circuit-breaker halt covers wholly; the minutes around it keep theirs")
    func candlesSkipHalts() throws {
        let (adapter, market, halt) = try Self.halted()  // last traded 10:00:01, resumes 11:00:02
        let day = market.date
        let spot = UInt32(try market.index(named: "NIFTY").spotToken)
        func at(_ hour: Int, _ minute: Int) -> KiteInstant {
            KiteInstant(nanosecondsSinceEpoch: market.spec.calendar.time(day, secondOfSession: hour * 3600 + minute * 60 - market.spec.calendar.openSecond).nanosecondsSinceEpoch)
        }
        let candles = adapter.minuteCandles(token: spot, from: at(9, 58), to: at(11, 3))
        let minutes = candles.map { ($0.start.nanosecondsSinceEpoch - at(9, 58).nanosecondsSinceEpoch) / 60_000_000_000 }
        // 09:58, 09:59, 10:00 (the crossing) and 11:00 (resumes at :02) on; 10:01 … 10:59 are halted throughout.
        #expect(minutes == [0, 1, 2, 62, 63, 64, 65], "\(minutes) around halt \(halt)")
    }

    @Test("the ticker sends heartbeats only while a circuit breaker halts trading, and ticks again when it resumes")
    func tickerSilentInHalts() throws {
        let (adapter, market, halt) = try Self.halted()
        let day = market.date
        let spot = try market.index(named: "NIFTY").spotToken
        var connection = KiteTickerConnection()
        #expect(connection.receive(text: Array(#"{"a":"subscribe","v":[\#(spot)]}"#.utf8)).isEmpty)
        func frames(_ second: Int) -> [KiteTickerConnection.Output] {
            connection.tick(at: KiteInstant(nanosecondsSinceEpoch: market.spec.calendar.time(day, secondOfSession: second).nanosecondsSinceEpoch),
                            market: adapter)
        }
        let heartbeat = KiteTickerConnection.Output.binary(KiteTickPacket.heartbeat)
        #expect(frames(halt.lastTradedSecond).count == 2)
        #expect(frames(halt.lastTradedSecond + 1) == [heartbeat] && frames(halt.resumesAt - 1) == [heartbeat])
        #expect(frames(halt.resumesAt).count == 2)
        #expect(adapter.isTradingHalted(at: KiteInstant(nanosecondsSinceEpoch: market.spec.calendar.time(day, secondOfSession: 4_000).nanosecondsSinceEpoch)))
    }
}
