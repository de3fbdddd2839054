import Foundation
import Testing

@testable import MarketSim

@Suite struct KiteTickerTests {
    static let at = KiteInstant(secondsSinceEpoch: 1_625_461_887)

    static func quote(token: UInt32) -> KiteQuote {
        KiteQuote(
            instrumentToken: token, exchangeTime: at, lastTradeTime: at.adding(nanoseconds: -2_000_000_000),
            lastPricePaise: 141_295, lastQuantity: 5, averagePricePaise: 141_000, volume: 1_234_567,
            buyQuantity: 1000, sellQuantity: 2000, openPaise: 140_000, highPaise: 142_000, lowPaise: 139_500,
            closePaise: 140_500, oi: 75_000, oiDayHigh: 80_000, oiDayLow: 70_000,
            bids: KiteDepthLevels((1...5).map { KiteDepthLevel(pricePaise: 141_295 - 5 * Int64($0), quantity: Int64(10 * $0), orders: Int64($0)) }),
            asks: KiteDepthLevels((1...5).map { KiteDepthLevel(pricePaise: 141_295 + 5 * Int64($0), quantity: Int64(20 * $0), orders: Int64($0 + 1)) }))
    }

    @Test("an LTP packet is token then price in paise, big-endian, 8 bytes")
    func ltpBytes() {
        var out: [UInt8] = []
        KiteTickPacket.append(KiteTickPacket.tick(KiteTickerTests.quote(token: 408_065), mode: .ltp), to: &out)
        // 408065 = 0x00063A01; ₹1412.95 = 141295 paise = 0x000227EF.
        #expect(out == [0x00, 0x06, 0x3A, 0x01, 0x00, 0x02, 0x27, 0xEF])
    }

    @Test("a full tradable packet puts every field at the documented offset")
    func fullOffsets() {
        var out: [UInt8] = []
        KiteTickPacket.append(KiteTickPacket.tick(KiteTickerTests.quote(token: 408_065), mode: .full), to: &out)
        #expect(out.count == 184)
        func u32(_ offset: Int) -> UInt32 { out[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(u32(8) == 5 && u32(12) == 141_000 && u32(16) == 1_234_567 && u32(20) == 1000 && u32(24) == 2000)
        #expect(u32(28) == 140_000 && u32(32) == 142_000 && u32(36) == 139_500 && u32(40) == 140_500)
        #expect(u32(44) == 1_625_461_885 && u32(48) == 75_000 && u32(52) == 80_000 && u32(56) == 70_000)
        #expect(u32(60) == 1_625_461_887)
        // First bid: qty 10, price 141290, orders 1, two zero pad bytes; first ask at 124.
        #expect(u32(64) == 10 && u32(68) == 141_290 && out[72] == 0 && out[73] == 1 && out[74] == 0 && out[75] == 0)
        #expect(u32(124) == 20 && u32(128) == 141_300 && out[133] == 2)
    }

    @Test("index packets use high, low, open, close order and lengths 8/28/32")
    func indexLayout() {
        var quote = KiteTickerTests.quote(token: 256_265)
        quote.lastTradeTime = nil
        var out: [UInt8] = []
        KiteTickPacket.append(KiteTickPacket.tick(quote, mode: .full), to: &out)
        #expect(out.count == 32)
        func u32(_ offset: Int) -> UInt32 { out[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(u32(0) == 256_265 && u32(4) == 141_295)
        #expect(u32(8) == 142_000 && u32(12) == 139_500 && u32(16) == 140_000 && u32(20) == 140_500)
        #expect(u32(24) == 795 && u32(28) == 1_625_461_887)
        #expect(KiteTickPacket.length(.quote, tradable: false) == 28 && KiteTickPacket.length(.ltp, tradable: false) == 8)
    }

    @Test("packets decode to what was encoded, for every mode, tradable or index, over random quotes",
          arguments: [11, 12, 13] as [UInt64])
    func roundTrip(seed: UInt64) {
        let random = CounterRandom(seed: seed)
        for index in 0..<300 {
            let (a, b) = random.words(stream: 1, index: UInt64(index))
            var quote = KiteTickerTests.quote(token: 0)
            quote.instrumentToken = UInt32(truncatingIfNeeded: a >> 8) << 8 | (index % 4 == 0 ? 9 : 2)
            quote.lastPricePaise = Int64(b % 100_000_000)
            quote.volume = Int64(a >> 33)
            for mode in KiteTickMode.allCases {
                let tick = KiteTickPacket.tick(quote, mode: mode)
                let frame = KiteTickPacket.frame([tick, tick])
                let packets = KiteTickPacket.packets(ofFrame: frame)
                #expect(packets?.count == 2)
                #expect(packets.map { $0.map { KiteTickPacket.decode($0) } } == [tick, tick])
            }
        }
    }

    @Test("frames with wrong lengths are refused and packets of other sizes decode to nil")
    func badFrames() {
        #expect(KiteTickPacket.heartbeat.count == 1 && KiteTickPacket.packets(ofFrame: KiteTickPacket.heartbeat) == [])
        #expect(KiteTickPacket.packets(ofFrame: [0, 1, 0, 8, 1, 2]) == nil)
        #expect(KiteTickPacket.decode([UInt8](repeating: 0, count: 12)[...]) == nil)
        #expect(KiteTickPacket.decode([0, 0, 1, 2] + [UInt8](repeating: 0, count: 24)) == nil)  // 28 bytes, not an index
    }

    @Test("subscribe defaults to quote mode, mode switches, unsubscribe removes, the cap refuses extra tokens")
    func connectionState() {
        var connection = KiteTickerConnection(tokensMax: 3)
        #expect(connection.receive(text: Array(#"{"a":"subscribe","v":[408065,884737,"x"]}"#.utf8)) == [])
        #expect(connection.modes == [408_065: .quote, 884_737: .quote])
        _ = connection.receive(text: Array(KiteTickerRequest.mode(.full, [408_065]).text.utf8))
        #expect(connection.modes[408_065] == .full)
        _ = connection.receive(text: Array(#"{"a":"unsubscribe","v":[884737]}"#.utf8))
        #expect(connection.modes == [408_065: .full])
        let over = connection.receive(text: Array(#"{"a":"subscribe","v":[1,2,3]}"#.utf8))
        guard case .text(let error)? = over.first else {
            Issue.record("expected an error text")
            return
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(error))) as? [String: String]
        #expect(json?["type"] == "error")
        #expect(connection.receive(text: Array("nonsense".utf8)).count == 1)
        #expect(connection.receive(text: Array(#"{"a":"dance","v":[]}"#.utf8)).count == 1)
    }

    @Test("each second yields one frame in ascending token order with only documented lengths, then a heartbeat")
    func tickOutput() {
        let market = SyntheticBrokerMarket(seed: 1, firstDate: BrokerFixture.date)
        let tokens = market.instruments(on: BrokerFixture.date).prefix(50).map(\.instrumentToken)
        var connection = KiteTickerConnection()
        _ = connection.receive(text: Array(KiteTickerRequest.subscribe(tokens.reversed()).text.utf8))
        _ = connection.receive(text: Array(KiteTickerRequest.mode(.full, Array(tokens.prefix(20))).text.utf8))
        _ = connection.receive(text: Array(KiteTickerRequest.mode(.ltp, Array(tokens.suffix(10))).text.utf8))
        let outputs = connection.tick(at: BrokerFixture.morning, market: market)
        #expect(outputs.count == 2 && outputs.last == .binary([0]))
        guard case .binary(let frame) = outputs[0], let packets = KiteTickPacket.packets(ofFrame: frame) else {
            Issue.record("no tick frame")
            return
        }
        let ticks = packets.compactMap { KiteTickPacket.decode($0) }
        #expect(ticks.count == 50)
        #expect(ticks.map(\.instrumentToken) == tokens.sorted())
        #expect(packets.allSatisfy { [8, 28, 32, 44, 184].contains($0.count) })
        #expect(ticks.filter { $0.mode == .full }.count == 20 && ticks.filter { $0.mode == .ltp }.count == 10)
        let idle = KiteTickerConnection().tick(at: BrokerFixture.morning, market: market)
        #expect(idle == [.binary([0])])
    }
}

@Suite struct KiteTickerRegistryTests {
    @Test("a key gets at most 3 ticker connections; closing one frees a slot; other keys are independent")
    func connectionCap() {
        var registry = KiteTickerRegistry()
        let ids = (0..<3).compactMap { _ in try? registry.connect(apiKey: "a").get() }
        #expect(ids == [1, 2, 3])
        #expect(throws: KiteTickerLimitError(limit: 3)) { try registry.connect(apiKey: "a").get() }
        #expect((try? registry.connect(apiKey: "b").get()) == 4)
        registry.disconnect(2)
        #expect((try? registry.connect(apiKey: "a").get()) == 5)
    }
}
