import Testing

@testable import Platform

/// The tops-only canonical reader (`CanonicalTopReader`, entered through `TopSink.addExpected`) must give
/// exactly what the general reader gives, values or error, on long bodies where it actually runs.
@Suite struct CanonicalTopReaderTests {
    /// How far a quote strays from the plain shapes: not at all, to shapes only the general reader takes
    /// (long, rounded, exponent, null), or also to shapes it rejects (a lone `-`, `1.`, hour 25).
    enum Oddness { case plain, accepted, rejected }

    /// A number in `random`'s choice of shape: the plain shapes the mock writes, then one in ten per `odd`.
    static func number(_ random: inout SplitMix64, fraction: Bool, odd: Oddness) -> String {
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(random.next() % 10)) })
        }
        var roll = odd == .plain ? 99 : random.next() % 100
        if odd == .accepted, roll == 4 || roll == 5 { roll = 99 }
        switch roll {
        case 0: return "null"
        case 1: return "1.5e2"
        case 2: return digits(16)
        case 3: return digits(15)
        case 4: return "-"
        case 5: return "1."
        case 6: return "\(digits(1)).\(digits(3))"
        case 7: return digits(8)
        case 8: return "\(digits(9)).\(digits(1))"
        default:
            let sign = random.next() % 8 == 0 ? "-" : ""
            let whole = String(random.next() % 100_000)
            guard fraction, random.next() % 3 != 0 else { return sign + whole }
            return sign + whole + "." + digits(1 + Int(random.next() % 2))
        }
    }

    /// One quote in the canonical layout with random numbers, times and depth sizes.
    static func entry(_ key: String, token: Int, _ random: inout SplitMix64) -> String {
        let odd: Oddness = switch random.next() % 20 {
        case 0: .rejected
        case 1, 2, 3: .accepted
        default: .plain
        }
        func n(_ fraction: Bool) -> String { number(&random, fraction: fraction, odd: odd) }
        func side() -> String {
            let roll = random.next() % 20
            let count = roll == 0 ? 0 : roll == 1 ? 64 : roll == 2 ? 65 : 1 + Int(random.next() % 6)
            return (0..<count).map { _ in #"{"price":\#(n(true)),"quantity":\#(n(false)),"orders":\#(n(false))}"# }
                .joined(separator: ",")
        }
        let seconds = random.next() % 4
        let stamp = odd == .rejected && random.next() % 4 == 0 ? "2026-11-24 25:00:00" : "2026-11-24 10:00:0\(seconds)"
        let trade = random.next() % 5 == 0 ? "" : "2026-11-2\(4 + random.next() % 2) 09:59:5\(random.next() % 10)"
        return #""\#(key)":{"instrument_token":\#(token),"timestamp":"\#(stamp)","last_trade_time":"\#(trade)","#
            + #""last_price":\#(n(true)),"last_quantity":\#(n(false)),"buy_quantity":\#(n(false)),"#
            + #""sell_quantity":\#(n(false)),"volume":\#(n(false)),"average_price":\#(n(true)),"oi":\#(n(false)),"#
            + #""oi_day_high":\#(n(false)),"oi_day_low":\#(n(false)),"net_change":\#(n(true)),"#
            + #""lower_circuit_limit":\#(n(true)),"upper_circuit_limit":\#(n(true)),"#
            + #""ohlc":{"open":\#(n(true)),"high":\#(n(true)),"low":\#(n(true)),"close":\#(n(true))},"#
            + #""depth":{"buy":[\#(side())],"sell":[\#(side())]}}"#
    }

    static let keys = (0..<40).map { "NFO:NIFTY24N\(21_000 + 50 * $0)\($0 % 2 == 0 ? "CE" : "PE")" }

    /// A body of `count` quotes, mostly in request order from `first`; sometimes a key is skipped,
    /// repeated, out of order or not requested.
    static func body(_ random: inout SplitMix64, count: Int, first: Int = 0) -> [UInt8] {
        var entries: [String] = []
        var next = first
        for _ in 0..<count {
            let roll = random.next() % 25
            let key: String
            switch roll {
            case 0: key = "NFO:UNREQUESTED"
            case 1: key = keys[Int(random.next() % UInt64(keys.count))]
            case 2:
                next += 2
                key = keys[next % keys.count]
            default: key = keys[next % keys.count]
            }
            next += 1
            entries.append(entry(key, token: 1 + Int(random.next() % 70_000), &random))
        }
        return KiteQuoteTopsTests.body(entries)
    }

    @Test("long bodies of random canonical quotes give the general reader's tops or its error", arguments: [1, 2, 3, 4] as [UInt64])
    func randomBodies(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<12 {
            let first = round % 3 == 0 ? Int(random.next() % 40) : 0
            KiteQuoteTopsTests.expectAgreement(CanonicalTopReaderTests.body(&random, count: 4 + Int(random.next() % 12), first: first),
                                               keys: CanonicalTopReaderTests.keys, expectedFirst: first)
        }
    }

    @Test("byte mutations anywhere in a long body give the same values or the same error on both paths",
          arguments: [11, 12, 13, 14] as [UInt64])
    func mutations(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var clean = SplitMix64(seed: 0)
        let base = CanonicalTopReaderTests.body(&clean, count: 8)
        let alphabet = Array("{}[]\":,0123456789.eE-+ntfu\\ ".utf8) + [0xFF, 0xC3, 0x80, 0x00]
        for _ in 0..<120 {
            var bytes = base
            for _ in 0..<(1 + Int(random.next() % 2)) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
            }
            KiteQuoteTopsTests.expectAgreement(bytes, keys: CanonicalTopReaderTests.keys)
        }
    }

    @Test("truncations of a long body fail the same way on both paths, at every quote boundary and between")
    func truncations() {
        var random = SplitMix64(seed: 7)
        var clean = SplitMix64(seed: 0)
        let base = CanonicalTopReaderTests.body(&clean, count: 6)
        var lengths = Set((0..<150).map { _ in Int(random.next() % UInt64(base.count)) })
        // Around every `{"instrument_token"` and every `]`: where a stretch's bounds check is decided.
        for position in base.indices where base[position] == 0x5D || base[position] == 0x7B {
            for delta in -2...2 where (0..<base.count).contains(position + delta) { lengths.insert(position + delta) }
        }
        for length in lengths.sorted() { KiteQuoteTopsTests.expectAgreement(Array(base[0..<length]), keys: CanonicalTopReaderTests.keys) }
    }

    /// A depth number in one of the shapes around the later levels' limits: none, 1–9 digits, with `.`, one,
    /// two or three decimals, a sign, an exponent.
    static func edgeNumber(_ random: inout SplitMix64) -> String {
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(random.next() % 10)) })
        }
        let whole = digits(Int(random.next() % 10))
        switch random.next() % 13 {
        case 12: return ""
        case 0: return whole + "."
        case 1: return whole + "." + digits(1)
        case 2: return whole + "." + digits(2)
        case 3: return whole + "." + digits(3)
        case 4: return "-" + whole
        case 5: return whole + "e1"
        default: return whole.isEmpty ? "7" : whole
        }
    }

    /// A quoted time near the remembered-time paths: the same date with another clock, out-of-range or
    /// mis-separated clocks, one character more or less, the epoch the memory starts with, or NUL bytes.
    static func edgeTime(_ random: inout SplitMix64) -> String {
        let second = random.next() % 3
        switch random.next() % 14 {
        case 12: return "2026-11-24 10:00:0\(second)1"
        case 13: return "2026-11-24 10:00:\(second)"
        case 0: return "2026-11-24 25:00:00"
        case 1: return "2026-11-24 10:60:0\(second)"
        case 2: return "2026-11-24 10:00:6\(second)"
        case 3: return "2026-11-24 10-00:0\(second)"
        case 4: return "2026-11-24 10:00:x\(second)"
        case 5: return "1970-01-01 05:30:00"
        case 6: return "2026-11-24T10:00:0\(second)"
        case 7: return "2026-11-2\(4 + second) 10:00:00"
        case 8: return "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}"
        default: return "2026-11-24 1\(second):0\(random.next() % 10):5\(random.next() % 10)"
        }
    }

    @Test("later depth levels and times at the edges of the tight paths give the general reader's tops or its error",
          arguments: [21, 22, 23, 24, 25, 26] as [UInt64])
    func edgeShapes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<60 {
            var entries: [String] = []
            // One oddity in one quote among plain ones, early enough that the tops reader reads it (many bytes
            // still to come): a number of a depth level (slot 0–35), the `timestamp` (36) or the trade time (37),
            // or a byte in place of the closing quote of either (38, 39).
            let oddIndex = Int(random.next() % 8)
            let oddSlot = Int(random.next() % 40)
            for index in 0..<12 {
                var slot = 0
                func n() -> String {
                    defer { slot += 1 }
                    return index == oddIndex && slot == oddSlot ? CanonicalTopReaderTests.edgeNumber(&random) : "\(1 + random.next() % 999)"
                }
                func level() -> String { #"{"price":\#(n()),"quantity":\#(n()),"orders":\#(n())}"# }
                func side() -> String { (0..<6).map { _ in level() }.joined(separator: ",") }
                let odd = index == oddIndex
                let stamp = odd && oddSlot == 36 ? CanonicalTopReaderTests.edgeTime(&random) : "2026-11-24 10:00:01"
                let trade = odd && oddSlot == 37 ? CanonicalTopReaderTests.edgeTime(&random) : "2026-11-24 09:59:\(10 + random.next() % 50)"
                let key = CanonicalTopReaderTests.keys[index]
                let (buy, sell) = (side(), side())
                let closing = odd && oddSlot == 38 ? "X" : #"""#
                let tradeClosing = odd && oddSlot == 39 ? "X" : #"""#
                entries.append(#""\#(key)":{"instrument_token":\#(index + 1),"timestamp":"\#(stamp)\#(closing),"#
                    + #""last_trade_time":"\#(trade)\#(tradeClosing),"#
                    + #""last_price":1.5,"last_quantity":1,"buy_quantity":1,"sell_quantity":2,"volume":3,"average_price":4,"oi":5,"#
                    + #""oi_day_high":5,"oi_day_low":4,"net_change":-1.25,"lower_circuit_limit":0.05,"upper_circuit_limit":9,"#
                    + #""ohlc":{"open":1,"high":2,"low":0.5,"close":1.05},"depth":{"buy":[\#(buy)],"sell":[\#(sell)]}}"#)
            }
            KiteQuoteTopsTests.expectAgreement(KiteQuoteTopsTests.body(entries), keys: CanonicalTopReaderTests.keys)
        }
    }

    @Test("the time the tops reader remembers first, the epoch, reads as the full rule reads it")
    func epochTime() throws {
        let entries = (0..<8).map {
            KiteQuoteTopsTests.entry(CanonicalTopReaderTests.keys[$0], token: $0 + 1, stamp: "1970-01-01 05:30:00",
                                     tradeTime: "1970-01-01 05:30:00")
        }
        let response = BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")],
                                      body: KiteQuoteTopsTests.body(entries))
        let tops = try KiteQuoteTopsTests.client.parseQuoteTops(response, keys: QuoteKeyIndex(keys: CanonicalTopReaderTests.keys),
                                                                expectedFirst: 0)
        #expect(tops.matched.count == 8)
        #expect(tops.matched.allSatisfy { $0.quote.timestamp == Instant.epoch && $0.quote.lastTradeTime == Instant.epoch })
        KiteQuoteTopsTests.expectAgreement(KiteQuoteTopsTests.body(entries), keys: CanonicalTopReaderTests.keys)
    }

    @Test("the tops reader reads the canonical layout itself, and declines a body too short to hold a stretch")
    func readsAndDeclines() throws {
        let quote = Array(#"{"instrument_token":5,"timestamp":"2026-11-24 10:00:01","last_trade_time":"","#.utf8)
            + Array(#""last_price":101.05,"last_quantity":75,"buy_quantity":1,"sell_quantity":2,"volume":123456789012345,"#.utf8)
            + Array(#""average_price":99.875,"oi":-4500,"oi_day_high":5,"oi_day_low":4,"net_change":-12.3,"#.utf8)
            + Array(#""lower_circuit_limit":0.05,"upper_circuit_limit":523.4,"#.utf8)
            + Array(#""ohlc":{"open":98,"high":110.25,"low":95.5,"close":113.35},"#.utf8)
            + Array(#""depth":{"buy":[{"price":100.5,"quantity":75,"orders":3},{"price":1,"quantity":2,"orders":3}],"#.utf8)
            + Array(#""sell":[]}}"#.utf8)
        let padded = quote + Array(repeating: 0x20, count: 2048)
        let read = padded.withUnsafeBufferPointer { buffer -> BrokerQuoteTop? in
            var scanner = KiteByteScanner(buffer, httpStatus: 200)
            var top = BrokerQuoteTop()
            return CanonicalTopReader.read(&scanner, at: 0, into: &top) && scanner.index == quote.count ? top : nil
        }
        // `average_price` has three decimals: not the plain shape, so the tops reader declines the quote.
        #expect(read == nil)
        let plain = Array(String(decoding: padded, as: UTF8.self).replacingOccurrences("99.875", "99.87").utf8)
        let top = try #require(plain.withUnsafeBufferPointer { buffer -> BrokerQuoteTop? in
            var scanner = KiteByteScanner(buffer, httpStatus: 200)
            var top = BrokerQuoteTop()
            return CanonicalTopReader.read(&scanner, at: 0, into: &top) && scanner.index == quote.count - 1 ? top : nil
        })
        #expect(top.instrumentToken == 5 && top.lastPricePaise == 10_105 && top.volume == 123_456_789_012_345 && top.oi == -4500)
        #expect(top.bidPaise == 10_050 && top.bidQuantity == 75 && top.askPaise == 0 && top.askQuantity == 0)
        #expect(top.lastTradeTime == nil && top.timestamp != nil)
        let short = Array(plain[0..<(quote.count + 100)])
        let declined = short.withUnsafeBufferPointer { buffer -> Bool in
            var scanner = KiteByteScanner(buffer, httpStatus: 200)
            var top = BrokerQuoteTop()
            return CanonicalTopReader.read(&scanner, at: 0, into: &top)
        }
        #expect(!declined)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
