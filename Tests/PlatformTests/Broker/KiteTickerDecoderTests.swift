import Testing

@testable import Platform

/// Golden bytes, text messages and hostile input for the ticker decoder.
@Suite struct KiteTickerDecoderTests {
    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// A full 184-byte packet for NFO token 12_345_602 (segment 2) with distinct values in every field.
    static let fullPacket: [UInt8] = {
        var bytes = u32(12_345_602) + u32(12_345) + u32(65) + u32(12_300) + u32(1_300) + u32(5_000) + u32(6_000)
        bytes += u32(12_000) + u32(12_500) + u32(11_900) + u32(11_800)
        bytes += u32(1_764_130_800) + u32(97_500) + u32(98_000) + u32(90_000) + u32(1_764_130_801)
        for level in 0..<10 {
            let price: UInt32 = level < 5 ? 12_340 - UInt32(level) * 5 : 12_350 + UInt32(level - 5) * 5
            bytes += u32(65 * UInt32(level + 1)) + u32(price) + [0, UInt8(level + 1), 0, 0]
        }
        return bytes
    }()

    static func frame(_ packets: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(packets.count >> 8), UInt8(packets.count & 0xFF)]
        for packet in packets { out += [UInt8(packet.count >> 8), UInt8(packet.count & 0xFF)] + packet }
        return out
    }

    @Test("a full packet's golden bytes decode to every field in paise and exchange seconds")
    func fullGolden() throws {
        #expect(Self.fullPacket.count == 184)
        let message = try KiteTickerDecoder.decode(binary: Self.frame([Self.fullPacket]))
        guard case .ticks(let ticks, let skipped) = message else { Issue.record("not ticks: \(message)"); return }
        #expect(skipped == 0 && ticks.count == 1)
        let tick = ticks[0]
        #expect(tick.instrumentToken == 12_345_602 && tick.mode == .full && tick.tradable)
        #expect(tick.lastPricePaise == 12_345 && tick.lastQuantity == 65 && tick.averagePricePaise == 12_300)
        #expect(tick.volume == 1_300 && tick.buyQuantity == 5_000 && tick.sellQuantity == 6_000)
        #expect([tick.openPaise, tick.highPaise, tick.lowPaise, tick.closePaise] == [12_000, 12_500, 11_900, 11_800])
        #expect(tick.lastTradeTime == Instant(secondsSinceEpoch: 1_764_130_800))
        #expect(tick.exchangeTime == Instant(secondsSinceEpoch: 1_764_130_801))
        #expect([tick.oi, tick.oiDayHigh, tick.oiDayLow] == [97_500, 98_000, 90_000])
        #expect(tick.bids.map(\.pricePaise) == [12_340, 12_335, 12_330, 12_325, 12_320])
        #expect(tick.asks.map(\.pricePaise) == [12_350, 12_355, 12_360, 12_365, 12_370])
        #expect(tick.bids.map(\.orders) == [1, 2, 3, 4, 5] && tick.asks[0].quantity == 390)
        let quote = tick.quote(key: "NFO:X")
        #expect(quote.timestamp == tick.exchangeTime && quote.bids == tick.bids && quote.oi == 97_500)
    }

    @Test("index packets use their own OHLC order; LTP and quote packets stop where the spec says")
    func indexAndShortPackets() throws {
        let index = Self.u32(256_265) + Self.u32(2_400_000) + Self.u32(2_410_000) + Self.u32(2_390_000) + Self.u32(2_395_000)
            + Self.u32(2_380_000) + Self.u32(20_000) + Self.u32(1_764_130_801)
        let ltp = Self.u32(12_345_602) + Self.u32(500)
        let quote = Array(Self.fullPacket[0..<44])
        let message = try KiteTickerDecoder.decode(binary: Self.frame([index, Array(index[0..<28]), ltp, quote]))
        guard case .ticks(let ticks, 0) = message, ticks.count == 4 else { Issue.record("\(message)"); return }
        #expect(!ticks[0].tradable && ticks[0].mode == .full && ticks[0].exchangeTime == Instant(secondsSinceEpoch: 1_764_130_801))
        #expect([ticks[0].openPaise, ticks[0].highPaise, ticks[0].lowPaise, ticks[0].closePaise] == [2_395_000, 2_410_000, 2_390_000, 2_380_000])
        #expect(ticks[1].mode == .quote && ticks[1].exchangeTime == nil)
        #expect(ticks[2].mode == .ltp && ticks[2].lastPricePaise == 500 && ticks[2].volume == 0)
        #expect(ticks[3].mode == .quote && ticks[3].closePaise == 11_800 && ticks[3].bids.isEmpty)
    }

    @Test("heartbeats, unknown packet lengths and CDS prices are handled as the official clients do")
    func heartbeatsAndOddities() throws {
        #expect(try KiteTickerDecoder.decode(binary: [0]) == .heartbeat)
        #expect(try KiteTickerDecoder.decode(binary: []) == .heartbeat)
        let odd = try KiteTickerDecoder.decode(binary: Self.frame([[1, 2, 3], Array(Self.fullPacket[0..<100])]))
        #expect(odd == .ticks([], skipped: 2))
        // A tradable token with an index packet length is not a layout we know.
        #expect(try KiteTickerDecoder.decode(binary: Self.frame([Array(Self.fullPacket[0..<32])])) == .ticks([], skipped: 1))
        let cds = Self.u32(0x0100_0003) + Self.u32(835_012_345)
        guard case .ticks(let ticks, 0) = try KiteTickerDecoder.decode(binary: Self.frame([cds])) else { Issue.record("cds"); return }
        #expect(ticks[0].lastPricePaise == 8_350)
    }

    @Test("broken framing is a typed error naming the packet")
    func framingErrors() {
        let frame = Self.frame([Self.fullPacket])
        #expect(throws: KiteTickerDecodeError.truncatedPacket(packet: 0, length: 184, available: 183)) {
            try KiteTickerDecoder.decode(binary: Array(frame.dropLast()))
        }
        #expect(throws: KiteTickerDecodeError.truncatedLength(packet: 1, declaredPackets: 2, frameBytes: 4)) {
            try KiteTickerDecoder.decode(binary: [0, 2, 0, 0])
        }
        #expect(throws: KiteTickerDecodeError.trailingBytes(count: 1, after: 1)) {
            try KiteTickerDecoder.decode(binary: frame + [7])
        }
    }

    @Test("server text messages decode to error, order and notices; bad ones are typed errors")
    func textMessages() throws {
        #expect(try KiteTickerDecoder.decode(text: Array(#"{"type":"error","data":"Invalid token"}"#.utf8)) == .error("Invalid token"))
        guard case .order(let data) = try KiteTickerDecoder.decode(text: Array(#"{"type":"order","data":{"order_id":"1"}}"#.utf8))
        else { Issue.record("order"); return }
        #expect(data["order_id"] == .string("1"))
        #expect(try KiteTickerDecoder.decode(text: Array(#"{"type":"message","data":"hi"}"#.utf8))
                == .notice(type: "message", data: .string("hi")))
        #expect(throws: KiteTickerDecodeError.textWithoutType) { try KiteTickerDecoder.decode(text: Array(#"{"data":1}"#.utf8)) }
        #expect(throws: KiteTickerDecodeError.textBadData(type: "error")) {
            try KiteTickerDecoder.decode(text: Array(#"{"type":"error","data":5}"#.utf8))
        }
        #expect(throws: KiteTickerDecodeError.self) { try KiteTickerDecoder.decode(text: Array("{".utf8)) }
    }

    @Test("subscribe, unsubscribe and mode messages are the exact JSON the official clients send")
    func requestTexts() {
        #expect(String(decoding: KiteTickerRequestText.subscribe([408_065, 884_737]), as: UTF8.self) == #"{"a":"subscribe","v":[408065,884737]}"#)
        #expect(String(decoding: KiteTickerRequestText.unsubscribe([408_065]), as: UTF8.self) == #"{"a":"unsubscribe","v":[408065]}"#)
        #expect(String(decoding: KiteTickerRequestText.mode(.full, [408_065]), as: UTF8.self) == #"{"a":"mode","v":["full",[408065]]}"#)
        #expect(String(decoding: KiteTickerRequestText.subscribe([]), as: UTF8.self) == #"{"a":"subscribe","v":[]}"#)
    }

    // Every input is either a value or a KiteTickerDecodeError; typed throws make the error type static,
    // so the property checked is "never traps" plus the structural facts asserted below.
    @Test("random frames, truncations and byte mutations never crash and always give a value or a typed error",
          arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func fuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let valid = Self.frame([Self.fullPacket, Array(Self.fullPacket[0..<44]), Array(Self.fullPacket[0..<8])])
        var values = 0
        var errors = 0
        for round in 0..<600 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                bytes = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1:
                bytes = Array(valid[0..<Int(random.next() % UInt64(valid.count + 1))])
            default:
                bytes = valid
                for _ in 0..<(1 + Int(random.next() % 6)) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            do {
                let message = try KiteTickerDecoder.decode(binary: bytes)
                if case .ticks(let ticks, let skipped) = message {
                    #expect(ticks.count + skipped == Int(bytes[0]) << 8 | Int(bytes[1]))
                    #expect(ticks.allSatisfy { $0.mode != .full || !$0.tradable || ($0.bids.count == 5 && $0.asks.count == 5) })
                }
                values += 1
            } catch {
                errors += 1
            }
            do { _ = try KiteTickerDecoder.decode(text: bytes); values += 1 } catch { errors += 1 }
        }
        #expect(values + errors == 1_200)
        #expect(values > 0 && errors > 0, "seed \(seed): the fuzz should hit both outcomes")
    }
}
