import Chaos
import MarketSim
import Platform
import Testing

/// The platform's ticker decoder against MarketSim's packet encoder, and ticks against REST quotes.
@Suite struct KiteTickerRoundTripTests {
    /// A random tick of `mode` for a tradable or index token, every field drawn.
    static func randomTick(_ random: inout SplitMix64, mode: KiteTickMode, index: Bool) -> KiteTick {
        func draw() -> UInt32 { UInt32(truncatingIfNeeded: random.next()) }
        let token = (draw() & 0xFFFF_FF00) | (index ? 9 : 2)
        var tick = KiteTick(instrumentToken: token, mode: mode, tradable: !index)
        tick.lastPrice = draw()
        guard mode != .ltp else { return tick }
        (tick.open, tick.high, tick.low, tick.close) = (draw(), draw(), draw(), draw())
        if index {
            tick.change = draw()
            if mode == .full { tick.exchangeTimestamp = draw() }
            return tick
        }
        (tick.lastQuantity, tick.averagePrice, tick.volume, tick.buyQuantity, tick.sellQuantity) = (draw(), draw(), draw(), draw(), draw())
        guard mode == .full else { return tick }
        (tick.lastTradeTime, tick.oi, tick.oiDayHigh, tick.oiDayLow, tick.exchangeTimestamp) = (draw(), draw(), draw(), draw(), draw())
        tick.bids = (0..<5).map { _ in KiteTickDepth(quantity: draw(), price: draw(), orders: UInt16(truncatingIfNeeded: draw())) }
        tick.asks = (0..<5).map { _ in KiteTickDepth(quantity: draw(), price: draw(), orders: UInt16(truncatingIfNeeded: draw())) }
        return tick
    }

    static func time(_ seconds: UInt32) -> Instant? { seconds == 0 ? nil : Instant(secondsSinceEpoch: Int64(seconds)) }

    @Test("every field MarketSim encodes decodes to the same value in the platform, for every mode and layout",
          arguments: [11, 12, 13, 14] as [UInt64])
    func encoderRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            var ticks: [KiteTick] = []
            for _ in 0..<Int(1 + random.next() % 40) {
                let mode = KiteTickMode.allCases[Int(random.next() % 3)]
                ticks.append(Self.randomTick(&random, mode: mode, index: random.next() % 4 == 0))
            }
            let message = try KiteTickerDecoder.decode(binary: KiteTickPacket.frame(ticks))
            guard case .ticks(let decoded, skipped: 0) = message, decoded.count == ticks.count else {
                Issue.record("seed \(seed): \(message)")
                return
            }
            for (sent, got) in zip(ticks, decoded) {
                #expect(got.instrumentToken == sent.instrumentToken && got.mode.rawValue == sent.mode.rawValue && got.tradable == sent.tradable)
                let gotPrices: [Int64] = [got.lastPricePaise, got.openPaise, got.highPaise, got.lowPaise, got.closePaise, got.averagePricePaise]
                let sentPrices: [UInt32] = [sent.lastPrice, sent.open, sent.high, sent.low, sent.close, sent.averagePrice]
                #expect(gotPrices == sentPrices.map { Int64($0) })
                let gotCounts: [Int64] = [got.lastQuantity, got.volume, got.buyQuantity, got.sellQuantity, got.oi, got.oiDayHigh, got.oiDayLow]
                let sentCounts: [UInt32] = [sent.lastQuantity, sent.volume, sent.buyQuantity, sent.sellQuantity, sent.oi, sent.oiDayHigh, sent.oiDayLow]
                #expect(gotCounts == sentCounts.map { Int64($0) })
                #expect(got.exchangeTime == Self.time(sent.exchangeTimestamp))
                #expect(got.lastTradeTime == Self.time(sent.lastTradeTime))
                let sentBids: [Int64] = sent.bids.map { (level: KiteTickDepth) -> Int64 in Int64(level.price) }
                let sentAskQuantities: [Int64] = sent.asks.map { (level: KiteTickDepth) -> Int64 in Int64(level.quantity) }
                let sentAskOrders: [Int64] = sent.asks.map { (level: KiteTickDepth) -> Int64 in Int64(level.orders) }
                #expect(got.bids.map { $0.pricePaise } == sentBids)
                #expect(got.asks.map { $0.quantity } == sentAskQuantities)
                #expect(got.asks.map { $0.orders } == sentAskOrders)
            }
        }
    }

    @Test("a full tick of the simulated market equals the REST quote for the same token and second, field by field",
          arguments: [21, 22] as [UInt64])
    func ticksEqualRest(seed: UInt64) throws {
        var link = BrokerRoundTripTests.Link(seed: seed, profile: KiteBehaviourProfile(rateLimits: .unlimited))
        _ = try link.login(at: BrokerRoundTripTests.open)
        let listed = Array(link.broker.market.instruments(on: BrokerRoundTripTests.date).prefix(400))
        for step in 0..<3 {
            let now = BrokerRoundTripTests.open + .seconds(Int64(step) * 1_201)
            let quotes = try link.client.parseQuotes(link.send(try link.client.quoteRequest(listed.map(\.key), mode: .full, at: now), at: now))
            let ticks = listed.compactMap { instrument in
                link.broker.market.quote(token: instrument.instrumentToken, at: BrokerBridge.kiteInstant(now))
                    .map { KiteTickPacket.tick($0, mode: .full) }
            }
            guard case .ticks(let decoded, skipped: 0) = try KiteTickerDecoder.decode(binary: KiteTickPacket.frame(ticks)) else {
                Issue.record("frame did not decode")
                return
            }
            #expect(decoded.count == quotes.count)
            for (rest, tick) in zip(quotes, decoded) {
                let streamed = tick.quote(key: rest.key)
                #expect(streamed.instrumentToken == rest.instrumentToken)
                #expect(streamed.timestamp == rest.timestamp)
                #expect([streamed.lastPricePaise, streamed.openPaise, streamed.highPaise, streamed.lowPaise, streamed.closePaise]
                        == [rest.lastPricePaise, rest.openPaise, rest.highPaise, rest.lowPaise, rest.closePaise])
                guard tick.tradable else { continue }
                #expect(streamed.lastTradeTime == rest.lastTradeTime)
                #expect([streamed.volume, streamed.oi, streamed.buyQuantity, streamed.sellQuantity, streamed.averagePricePaise]
                        == [rest.volume, rest.oi, rest.buyQuantity, rest.sellQuantity, rest.averagePricePaise])
                #expect(streamed.bids.prefix(rest.bids.count) == rest.bids[...] && streamed.asks.prefix(rest.asks.count) == rest.asks[...])
            }
        }
    }
}
