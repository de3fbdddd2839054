import Testing

@testable import MarketSim

/// The broker's fused full-quote writer must write exactly what encoding the market's quote writes.
@Suite struct MarketKiteFullQuoteTests {
    /// The general route: the market's quote, converted and encoded by `KiteQuoteEncoder`.
    static func reference(_ market: Market, token: Int64, second: Int, cache: QuoteCache) -> [UInt8]? {
        guard let quote = market.quote(token: token, tradedSecond: second, cache: cache) else { return nil }
        var out: [UInt8] = []
        KiteQuoteEncoder.append(KiteQuote(quote, token: UInt32(token)), kind: .full, to: &out)
        return out
    }

    /// Entries written back to back through one writer (so the timestamp slots are reused as a
    /// response reuses them), one entry per (token, second).
    static func fused(_ market: Market, tokens: [Int64], second: Int, cache: QuoteCache) -> [[UInt8]] {
        var ends: [Int] = []
        let bytes = KiteByteWriter.build(capacity: tokens.count * KiteQuoteEncoder.entryBytesMax) { out in
            for token in tokens {
                _ = market.writeKiteQuote(token: UInt32(token), tradedSecond: second, cache: cache, kind: .full, to: &out)
                ends.append(out.count)
            }
        }
        var start = 0
        return ends.map { end in
            defer { start = end }
            return Array(bytes[start..<end])
        }
    }

    @Test("12 generated markets: every contract's fused full entry at increasing seconds is byte for byte the encoded quote")
    func fusedEntriesMatchEncoder() throws {
        var compared = 0
        var lowBids = 0
        for item in MarketCases.pool {
            let market = item.market
            let contracts = try market.catalog(item.index).contracts
            let tokens = contracts.map(\.instrumentToken) + [try market.index(named: item.index).spotToken]
            let seconds = Array(Set(item.seconds.prefix(3) + [61, 62, 63])).sorted()  // consecutive seconds reuse tape texts
            // One cache serves both routes (a cache never changes an answer: `QuoteCacheTests`).
            let cache = QuoteCache(market: market)
            for second in seconds {
                let entries = Self.fused(market, tokens: tokens, second: second, cache: cache)
                for (token, entry) in zip(tokens, entries) {
                    let expected = Self.reference(market, token: token, second: second, cache: cache) ?? []
                    #expect(entry == expected, "seed \(item.seed) token \(token) second \(second)")
                    if let quote = market.quote(token: token, tradedSecond: second, cache: cache),
                        quote.buyDepth.count == 5, quote.buyDepth[4].pricePaise == 0
                    {
                        lowBids += 1
                    }
                    compared += 1
                }
            }
        }
        #expect(compared >= 3_000)
        #expect(lowBids > 0, "some bids within five ticks of zero, so empty bid levels are covered")
    }

    @Test("a fused writer whose cache is asked seconds out of order (back to earlier ones, repeats) writes what a cacheless encoder writes")
    func fusedEntriesOutOfOrderMatchCachelessEncoder() throws {
        var compared = 0
        for item in MarketCases.pool.prefix(4) {
            let market = item.market
            let contracts = try market.catalog(item.index).contracts
            // Every fifth contract, so calls, puts, futures and far strikes all appear.
            let tokens = stride(from: 0, to: contracts.count, by: 5).map { contracts[$0].instrumentToken }
            let seconds = [900, 300, 301, 5, 900, 899, 450, 0, 451]
            let cache = QuoteCache(market: market)
            for second in seconds {
                let entries = Self.fused(market, tokens: tokens, second: second, cache: cache)
                for (token, entry) in zip(tokens, entries) {
                    // No cache on this side: the quote replayed from the open.
                    let quote = try #require(market.quote(token: token, tradedSecond: second))
                    var expected: [UInt8] = []
                    KiteQuoteEncoder.append(KiteQuote(quote, token: UInt32(token)), kind: .full, to: &expected)
                    #expect(entry == expected, "seed \(item.seed) token \(token) second \(second)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 300)
    }

    @Test("depth prices from ticks print as the general writer prints their paise, across rupee boundaries")
    func depthPrices() {
        var ticks: [Int64] = Array(0...2_500) + [19_999_980, 1_999_999_999, 2_000_000_000, 2_000_000_001, -1, -21]
        var state: UInt64 = 11
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            ticks.append(Int64(state >> 34))
        }
        var price = Market.PriceText()
        for tick in ticks + ticks.reversed() {
            let fused = KiteByteWriter.build(capacity: 32) { out in
                out.position = price.put(tick, at: out.pointer + out.position) - out.pointer
            }
            #expect(fused == KiteByteWriter.build(capacity: 32) { $0.paise(tick * QuoteRule.tickPaise) }, "\(tick) ticks")
        }
    }

    @Test("fixed entry texts are what the writer prints, and texts past 16 bytes are flagged to be printed instead")
    func fixedTexts() {
        for (token, openTicks) in [(UInt32(1), Int64(0)), (12_345_602, 1), (UInt32.max, 19), (256, 2_000_000), (9_999_999, 123_456_789)] {
            let text = KiteFixedText(token: token, openTicks: openTicks)
            let close = openTicks * QuoteRule.tickPaise
            func bytes(_ value: SIMD16<UInt8>, _ length: UInt8) -> [UInt8] { (0..<Int(length)).map { value[$0] } }
            #expect(text.fits && !text.isEmpty)
            #expect(bytes(text.token, text.tokenLength) == Array(String(token).utf8))
            #expect(bytes(text.lower, text.lowerLength) == KiteByteWriter.build(capacity: 32) { $0.paise(max(5, close / 5)) })
            #expect(bytes(text.upper, text.upperLength) == KiteByteWriter.build(capacity: 32) { $0.paise(close * 3 + 500) })
            #expect(bytes(text.open, text.openLength) == KiteByteWriter.build(capacity: 32) { $0.paise(close) })
        }
        #expect(!KiteFixedText(token: 1, openTicks: 200_000_000_000_001).fits)  // 10000000000000.05 rupees
        #expect(KiteFixedText().isEmpty)
    }

    @Test("tape texts hold what the writer prints for the tape's fields, and overlong ones are flagged to be printed instead")
    func tapeTexts() {
        var tape = TradeTape(openInterest: 1_234_500)
        tape.volume = 98_765
        tape.lastPriceTicks = 2_469
        tape.lastQuantity = 75
        tape.tradeCount = 17
        for openTicks: Int64 in [0, 1, 2_000, 3_000] {
            let text = KiteTapeText(tape: tape, openTicks: openTicks)
            #expect(text.fits && text.tradeCount == 17)
            let head = KiteByteWriter.build(capacity: 128) { out in
                out.position = KiteTapeText.printHead(tape, openTicks: openTicks, at: out.pointer).end - out.pointer
            }
            let tail = KiteByteWriter.build(capacity: 256) { out in
                out.position = KiteTapeText.printTail(tape, openTicks: openTicks, at: out.pointer) - out.pointer
            }
            let storedHead = withUnsafeBytes(of: text.head) { Array($0.prefix(Int(text.headLength))) }
            let storedTail = withUnsafeBytes(of: text.tail) { Array($0.prefix(Int(text.tailLength))) }
            #expect(storedHead == head && storedTail == tail)
            #expect(Array(head[14..<(14 + Int(text.lastLength))]) == Array("123.45".utf8))
        }
        var huge = TradeTape(openInterest: Int64.max / 2)
        huge.volume = Int64.max / 2
        huge.openInterestHigh = Int64.max / 2
        huge.openInterestLow = Int64.max / 2
        #expect(!KiteTapeText(tape: huge, openTicks: 1).fits)
        #expect(KiteTapeText().tradeCount == -1)
    }

    @Test("the depth quantity table holds each quantity's digits and 0 past eight digits")
    func quantityDigits() {
        for value: Int64 in [0, 1, 9, 10, 75, 99, 100, 14_700, 99_999_999] {
            let text = QuoteCache.digitText(value)
            let length = (64 - text.leadingZeroBitCount + 7) >> 3
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: text >> (8 * $0)) }
            #expect(bytes == Array(String(value).utf8), "\(value)")
        }
        #expect(QuoteCache.digitText(100_000_000) == 0)
        #expect(QuoteCache.digitText(-1) == 0)
    }

    @Test("a depth quantity table entry holds the quantity's digits and their count, and 0 past seven digits")
    func quantityEntries() {
        for value: Int64 in [0, 1, 9, 10, 75, 99, 100, 14_700, 352_800, 9_999_999] {
            let entry = QuoteCache.quantityEntry(value)
            let length = Int(entry >> 56)
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: entry >> (8 * $0)) }
            #expect(bytes == Array(String(value).utf8) && entry & 0x00FF_FFFF_FFFF_FFFF == QuoteCache.digitText(value), "\(value)")
        }
        #expect(QuoteCache.quantityEntry(10_000_000) == 0)
        #expect(QuoteCache.quantityEntry(-1) == 0)
    }

    @Test("a writer holding the cache's lock for the whole call writes, for every kind and unknown tokens too, what per-entry writes write")
    func onceLockedWriterMatchesPerEntryWrites() throws {
        var compared = 0
        for item in MarketCases.pool.prefix(4) {
            let market = item.market
            let contracts = try market.catalog(item.index).contracts
            let tokens = stride(from: 0, to: contracts.count, by: 3).map { UInt32(contracts[$0].instrumentToken) }
                + [UInt32(try market.index(named: item.index).spotToken), 12_345_678]
            let seconds = [0, 61, 62, 300, 120, 900]
            let (locked, perEntry) = (QuoteCache(market: market), QuoteCache(market: market))
            for second in seconds {
                for kind in [KiteQuoteKind.full, .ohlc, .ltp] {
                    var written: [Bool] = []
                    let once = market.withKiteQuoteWriter(tradedSecond: second, cache: locked) { write in
                        KiteByteWriter.build(capacity: tokens.count * KiteQuoteEncoder.entryBytesMax) { out in
                            for token in tokens { written.append(write(token, kind, &out)) }
                        }
                    }
                    var expectedWritten: [Bool] = []
                    let each = KiteByteWriter.build(capacity: tokens.count * KiteQuoteEncoder.entryBytesMax) { out in
                        for token in tokens {
                            expectedWritten.append(
                                market.writeKiteQuote(token: token, tradedSecond: second, cache: perEntry, kind: kind, to: &out))
                        }
                    }
                    #expect(once == each && written == expectedWritten, "seed \(item.seed) second \(second) \(kind)")
                    #expect(written.last == false && written.first == true)
                    compared += tokens.count
                }
            }
        }
        #expect(compared >= 1_000)
    }

    @Test("order counts print as the general writer prints them, in the table's range and outside it")
    func orderCounts() {
        for orders: Int64 in [-3, 0, 1, 9, 10, 19, 20, 21, 150] {
            for last in [false, true] {
                let fused = KiteByteWriter.build(capacity: 64) { out in
                    let p = Market.putOrders(orders, last: last, at: out.pointer + out.position)
                    out.position = p - out.pointer
                }
                let expected = #","orders":"# + String(orders) + (last ? "}" : #"},{"price":"#)
                #expect(fused == Array(expected.utf8), "\(orders) last \(last)")
            }
        }
    }
}
