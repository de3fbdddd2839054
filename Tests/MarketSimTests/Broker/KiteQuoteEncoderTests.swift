import Testing

@testable import MarketSim

/// The quote encoder's cursor fast paths must print exactly what the general `KiteJSON` appenders print.
@Suite struct KiteQuoteEncoderTests {
    /// A reference `/quote` entry built field by field with `KiteJSON` (slow, obviously right).
    static func reference(_ quote: KiteQuote, kind: KiteQuoteKind) -> [UInt8] {
        var out: [UInt8] = []
        func text(_ string: String) { out += Array(string.utf8) }
        func int(_ value: Int64) { KiteJSON.appendInt(value, to: &out) }
        func paise(_ value: Int64) { KiteJSON.appendPaise(value, to: &out) }
        text(#"{"instrument_token":"#)
        int(Int64(quote.instrumentToken))
        if kind == .full {
            text(#","timestamp":""# + KiteTime.timestamp19(quote.exchangeTime) + #"","last_trade_time":""#)
            text((quote.lastTradeTime.map(KiteTime.timestamp19) ?? "") + "\"")
        }
        text(#","last_price":"#)
        paise(quote.lastPricePaise)
        if kind == .full {
            let fields: [(String, Int64, Bool)] = [
                ("last_quantity", quote.lastQuantity, false), ("buy_quantity", quote.buyQuantity, false),
                ("sell_quantity", quote.sellQuantity, false), ("volume", quote.volume, false),
                ("average_price", quote.averagePricePaise, true), ("oi", quote.oi, false),
                ("oi_day_high", quote.oiDayHigh, false), ("oi_day_low", quote.oiDayLow, false),
                ("net_change", quote.netChangePaise, true), ("lower_circuit_limit", quote.lowerCircuitPaise, true),
                ("upper_circuit_limit", quote.upperCircuitPaise, true),
            ]
            for (name, value, isPaise) in fields {
                text(",\"\(name)\":")
                if isPaise { paise(value) } else { int(value) }
            }
        }
        if kind != .ltp {
            text(#","ohlc":{"open":"#)
            paise(quote.openPaise)
            text(#","high":"#)
            paise(quote.highPaise)
            text(#","low":"#)
            paise(quote.lowPaise)
            text(#","close":"#)
            paise(quote.closePaise)
            text("}")
        }
        if kind == .full {
            let tradable = UInt8(truncatingIfNeeded: quote.instrumentToken) != 9
            for (name, levels) in [("buy", quote.bids), ("sell", quote.asks)] {
                text(name == "buy" ? #","depth":{"buy":["# : #"],"sell":["#)
                guard tradable else { continue }
                for position in 0..<5 {
                    let level = position < levels.count ? levels[position] : .empty
                    text(position == 0 ? #"{"price":"# : #"},{"price":"#)
                    paise(level.pricePaise)
                    text(#","quantity":"#)
                    int(level.quantity)
                    text(#","orders":"#)
                    int(level.orders)
                }
                text("}")
            }
            text("]}")
        }
        text("}")
        return out
    }

    /// A quote with seeded values of every size and sign, and 0–5 levels a side.
    static func quote(seed: UInt64, draw: Int) -> KiteQuote {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(draw)
        func next() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let shift = max(2, Int64(state >> 58))  // 2–63: magnitudes from huge to tiny, differences never overflow
            return Int64(bitPattern: state) >> shift
        }
        func levels() -> KiteDepthLevels {
            var side = KiteDepthLevels()
            for _ in 0..<Int(UInt64(bitPattern: next()) % 6) {
                side.append(KiteDepthLevel(pricePaise: next(), quantity: next(), orders: next() % 130))
            }
            return side
        }
        let stamp = KiteInstant(secondsSinceEpoch: 1_764_044_100 + (next() & 0xFFFFF))
        return KiteQuote(
            instrumentToken: UInt32(truncatingIfNeeded: next()), exchangeTime: stamp,
            lastTradeTime: next() & 1 == 0 ? nil : stamp.adding(nanoseconds: -(next() & 0xFFFF) * 1_000_000_000),
            lastPricePaise: next(), lastQuantity: next(), averagePricePaise: next(), volume: next(),
            buyQuantity: next(), sellQuantity: next(), openPaise: next(), highPaise: next(), lowPaise: next(),
            closePaise: next(), oi: next(), oiDayHigh: next(), oiDayLow: next(), lowerCircuitPaise: next(),
            upperCircuitPaise: next(), bids: levels(), asks: levels())
    }

    @Test("every kind of entry is byte for byte the reference, over many seeded quotes", arguments: [1, 2, 3, 4] as [UInt64])
    func entriesMatchReference(seed: UInt64) {
        for draw in 0..<400 {
            let quote = KiteQuoteEncoderTests.quote(seed: seed, draw: draw)
            for kind in [KiteQuoteKind.full, .ohlc, .ltp] {
                var written: [UInt8] = []
                KiteQuoteEncoder.append(quote, kind: kind, to: &written)
                #expect(written == KiteQuoteEncoderTests.reference(quote, kind: kind), "seed \(seed) draw \(draw) \(kind)")
            }
        }
    }

    @Test("small-integer printing matches the reference from -200 to 200 and at the extremes")
    func smallIntegers() {
        for value in Array(-200...200) + [Int64.max, Int64.min, 99_999_999, 100_000_000] as [Int64] {
            var expected: [UInt8] = []
            KiteJSON.appendInt(value, to: &expected)
            let written = KiteByteWriter.build(capacity: 32) { out in
                let end = KiteByteWriter.putSmallInt(value, at: out.pointer + out.position)
                out.position = end - out.pointer
            }
            #expect(written == expected, "\(value)")
        }
    }

    @Test("depth sides keep their levels in order, pad with zero levels and compare by content")
    func depthLevels() {
        let levels = (1...5).map { KiteDepthLevel(pricePaise: Int64($0) * 5, quantity: Int64($0), orders: 1) }
        var side = KiteDepthLevels()
        #expect(side.isEmpty && side.slot(4) == .empty)
        for (count, level) in levels.enumerated() {
            side.append(level)
            #expect(side.count == count + 1 && Array(side) == Array(levels.prefix(count + 1)))
            #expect(side.slot(4) == (count == 4 ? level : .empty))
        }
        #expect(side == KiteDepthLevels(levels) && side == KiteDepthLevels(levels[0], levels[1], levels[2], levels[3], levels[4]))
        #expect(side != KiteDepthLevels(levels.prefix(4)) && KiteDepthLevels() == [])
    }
}
