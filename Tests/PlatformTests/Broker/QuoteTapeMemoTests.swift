import Testing

@testable import Platform

/// The tops reader's cross-response memo (`QuoteTapeMemo`) must never change a result: over polls whose
/// tapes mostly repeat, whose instruments move, and whose bodies are mutated or cut, `parseQuoteTops` with
/// the memo gives exactly what the general reader gives, values or error.
@Suite struct QuoteTapeMemoTests {
    /// One instrument's quote parts that persist between polls until it trades.
    struct Instrument {
        var key: String
        var token: Int
        /// `"last_trade_time":…,"last_price":…,"last_quantity":…` (the memo's head, without its leading comma).
        var head: String
        /// `"volume":…` through `"close":…` (the memo's tail, without its leading comma).
        var tail: String
    }

    static func number(_ random: inout SplitMix64, fraction: Bool, odd: Bool) -> String {
        let odd: CanonicalTopReaderTests.Oddness = odd ? (random.next() % 2 == 0 ? .accepted : .rejected) : .plain
        return CanonicalTopReaderTests.number(&random, fraction: fraction, odd: odd)
    }

    static func head(_ random: inout SplitMix64) -> String {
        let odd = random.next() % 12 == 0
        let trade = random.next() % 6 == 0 ? "" : "2026-11-24 09:\(10 + random.next() % 50):\(10 + random.next() % 50)"
        return #""last_trade_time":"\#(trade)","last_price":\#(number(&random, fraction: true, odd: odd)),"#
            + #""last_quantity":\#(number(&random, fraction: false, odd: odd))"#
    }

    static func tail(_ random: inout SplitMix64) -> String {
        let odd = random.next() % 12 == 0
        func n(_ fraction: Bool) -> String { number(&random, fraction: fraction, odd: odd) }
        return #""volume":\#(n(false)),"average_price":\#(n(true)),"oi":\#(n(false)),"oi_day_high":\#(n(false)),"#
            + #""oi_day_low":\#(n(false)),"net_change":\#(n(true)),"lower_circuit_limit":\#(n(true)),"#
            + #""upper_circuit_limit":\#(n(true)),"ohlc":{"open":\#(n(true)),"high":\#(n(true)),"low":\#(n(true)),"#
            + #""close":\#(n(true))}"#
    }

    /// The instrument's entry at poll second `second`: its remembered parts, fresh quantities and depth.
    static func entry(_ instrument: Instrument, second: Int, _ random: inout SplitMix64) -> String {
        func level() -> String { #"{"price":\#(1 + random.next() % 900).\#(random.next() % 100),"quantity":\#(1 + random.next() % 9000),"orders":\#(1 + random.next() % 20)}"# }
        func side() -> String { (0..<Int(random.next() % 6)).map { _ in level() }.joined(separator: ",") }
        return #""\#(instrument.key)":{"instrument_token":\#(instrument.token),"timestamp":"2026-11-24 10:\#(10 + second / 60):\#(10 + second % 50)","#
            + instrument.head + #","buy_quantity":\#(random.next() % 99_999),"sell_quantity":\#(random.next() % 99_999),"#
            + instrument.tail + #","depth":{"buy":[\#(side())],"sell":[\#(side())]}}"#
    }

    static func keyIndex(_ instruments: [Instrument]) -> QuoteKeyIndex { QuoteKeyIndex(keys: instruments.map(\.key)) }

    @Test("polls with repeating tapes, moving instruments, mutations and cuts read as the general reader reads them",
          arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func polls(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let client = KiteClientTests.client()
        var instruments = (0..<14).map { index in
            Instrument(key: "NFO:NIFTY24N\(21_000 + 50 * index)\(index % 2 == 0 ? "CE" : "PE")", token: 1 + index * 97,
                       head: QuoteTapeMemoTests.head(&random), tail: QuoteTapeMemoTests.tail(&random))
        }
        var keys = QuoteTapeMemoTests.keyIndex(instruments)
        for second in 0..<40 {
            for index in instruments.indices {
                switch random.next() % 10 {
                case 0: instruments[index].head = QuoteTapeMemoTests.head(&random)
                case 1: instruments[index].tail = QuoteTapeMemoTests.tail(&random)
                case 2:
                    instruments[index].head = QuoteTapeMemoTests.head(&random)
                    instruments[index].tail = QuoteTapeMemoTests.tail(&random)
                case 3 where index > 0:
                    // Another instrument's tape, byte for byte: equal bytes in another slot.
                    instruments[index].head = instruments[index - 1].head
                    instruments[index].tail = instruments[index - 1].tail
                default: break
                }
            }
            switch random.next() % 8 {
            case 0:
                // Instruments change places, and the requested keys with them: slots now hold another's spans.
                let (a, b) = (Int(random.next() % 14), Int(random.next() % 14))
                instruments.swapAt(a, b)
                keys = QuoteTapeMemoTests.keyIndex(instruments)
            case 1:
                // The response alone changes order: the keys' slots stay, members arrive out of turn.
                let (a, b) = (Int(random.next() % 14), Int(random.next() % 14))
                instruments.swapAt(a, b)
            default: break
            }
            var entries = instruments.map { QuoteTapeMemoTests.entry($0, second: second, &random) }
            if random.next() % 6 == 0 { entries.remove(at: Int(random.next() % UInt64(entries.count))) }
            var body = KiteQuoteTopsTests.body(entries)
            switch random.next() % 6 {
            case 0:
                let alphabet = Array("{}[]\":,0123456789.-e ".utf8)
                for _ in 0..<(1 + Int(random.next() % 2)) {
                    let position = Int(random.next() % UInt64(body.count))
                    switch random.next() % 3 {
                    case 0: body[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: body.remove(at: position)
                    default: body.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                    }
                }
            case 1: body = Array(body[0..<Int(random.next() % UInt64(body.count))])
            default: break
            }
            let response = BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")], body: body)
            let fast = Result { () throws(BrokerError) in try client.parseQuoteTops(response, keys: keys, expectedFirst: 0) }
            let general = Result { () throws(BrokerError) in try KiteQuoteTopsTests.reference(response, keys: keys) }
            #expect(fast == general, "seed \(seed) second \(second): \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test("a repeated tape is taken from the memo (not read again), and a changed one is read and remembered")
    func memoIsUsed() throws {
        var random = SplitMix64(seed: 9)
        let instruments = (0..<6).map { index in
            Instrument(key: "NFO:K\(index)", token: 10 + index,
                       head: #""last_trade_time":"2026-11-24 09:59:5\#(index)","last_price":10\#(index).5,"last_quantity":75"#,
                       tail: #""volume":\#(1000 + index),"average_price":99.87,"oi":\#(4500 + index),"oi_day_high":5000,"#
                           + #""oi_day_low":4000,"net_change":-12.3,"lower_circuit_limit":0.05,"upper_circuit_limit":523.4,"#
                           + #""ohlc":{"open":98,"high":110.25,"low":95.5,"close":113.35}"#)
        }
        let keys = QuoteTapeMemoTests.keyIndex(instruments)
        var memo = QuoteTapeMemo()
        memo.prepare(keys: keys.keys.count)
        func decode(_ body: [UInt8]) throws -> MatchedQuotes {
            guard case .quotes(let matched) = try KiteQuoteDecoder.decodeTops(body, httpStatus: 200, keys: keys, expectedFirst: 0, memo: &memo)
            else { throw BrokerError.malformedResponse(reason: "not a success", httpStatus: 200) }
            return matched
        }
        let first = try decode(KiteQuoteTopsTests.body(instruments.map { QuoteTapeMemoTests.entry($0, second: 0, &random) }))
        // All but the last quote (too near the body's end for the tops reader) are remembered.
        #expect(memo.entries[0..<5].allSatisfy { $0.headLength > 0 && $0.tailLength > 0 })
        #expect(memo.entries[1].volume == 1001 && memo.entries[1].oi == 4501 && memo.entries[1].lastPricePaise == 10_150)
        #expect(first.matched[1].quote.volume == 1001)
        // Marked values show which path ran: the same bytes give the marked (remembered) values.
        memo.entries[1].volume = -7
        memo.entries[2].lastPricePaise = -9
        let second = try decode(KiteQuoteTopsTests.body(instruments.map { QuoteTapeMemoTests.entry($0, second: 1, &random) }))
        #expect(second.matched[1].quote.volume == -7 && second.matched[2].quote.lastPricePaise == -9)
        // A trade changes the bytes: read in full, the true values come back and are remembered.
        var traded = instruments
        traded[1].tail = traded[1].tail.replacingOccurrences(of: "1001", with: "1002")
        traded[2].head = traded[2].head.replacingOccurrences(of: "102.5", with: "102.55")
        let third = try decode(KiteQuoteTopsTests.body(traded.map { QuoteTapeMemoTests.entry($0, second: 2, &random) }))
        #expect(third.matched[1].quote.volume == 1002 && third.matched[2].quote.lastPricePaise == 10_255)
        #expect(memo.entries[1].volume == 1002 && memo.entries[2].lastPricePaise == 10_255)
        // A span's last number grows by a digit (`last_quantity` 75 → 750, `close` 113.3 → 113.35): the
        // remembered bytes are a prefix of the new ones and a digit follows them, so it is a miss, read in
        // full by the tops reader and remembered anew, not a decline on every poll.
        var longer = traded
        longer[4].tail = longer[4].tail.replacingOccurrences(of: #""close":113.35"#, with: #""close":113.3"#)
        _ = try decode(KiteQuoteTopsTests.body(longer.map { QuoteTapeMemoTests.entry($0, second: 3, &random) }))
        let shortHead = memo.entries[3].headLength
        let shortTail = memo.entries[4].tailLength
        #expect(shortHead > 0 && shortTail > 0)
        longer[3].head = longer[3].head.replacingOccurrences(of: #""last_quantity":75"#, with: #""last_quantity":750"#)
        longer[4].tail = longer[4].tail.replacingOccurrences(of: #""close":113.3"#, with: #""close":113.35"#)
        memo.entries[3].lastPricePaise = -11
        let grown = try decode(KiteQuoteTopsTests.body(longer.map { QuoteTapeMemoTests.entry($0, second: 4, &random) }))
        #expect(memo.entries[3].headLength == shortHead + 1 && memo.entries[4].tailLength == shortTail + 1)
        #expect(grown.matched[3].quote.lastPricePaise == 10_350 && memo.entries[3].lastPricePaise == 10_350)
    }

    /// A token in one of the shapes around the remembered word: 1–10 digits, often the previous one with a
    /// digit more or less, leading zeros, or (rejected) a sign or a decimal point.
    static func token(_ random: inout SplitMix64, previous: String) -> String {
        let digits = String(random.next() % 10)
        switch random.next() % 12 {
        case 0: return previous + digits
        case 1: return previous.count > 1 ? String(previous.dropLast()) : previous
        case 2: return String(4_294_967_290 + random.next() % 10)
        case 3: return String(12_345_678 + random.next() % 3)
        case 4: return "0" + previous
        case 5: return random.next() % 2 == 0 ? "-" + previous : previous + ".5"
        case 6, 7: return String(1 + random.next() % 99_999_999)
        default: return previous
        }
    }

    @Test("tokens that repeat, change, grow or shrink by a digit, or reach 8–10 digits read as the general reader reads them",
          arguments: [31, 32, 33, 34] as [UInt64])
    func tokens(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let client = KiteClientTests.client()
        let instruments = (0..<10).map { index in
            Instrument(key: "NFO:T\(index)", token: 1 + index * 97, head: QuoteTapeMemoTests.head(&random),
                       tail: QuoteTapeMemoTests.tail(&random))
        }
        var tokens = instruments.map { String($0.token) }
        let keys = QuoteTapeMemoTests.keyIndex(instruments)
        for second in 0..<60 {
            for index in tokens.indices where random.next() % 3 == 0 {
                tokens[index] = QuoteTapeMemoTests.token(&random, previous: tokens[index])
            }
            let entries = instruments.indices.map { index in
                QuoteTapeMemoTests.entry(instruments[index], second: second, &random)
                    .replacingOccurrences(of: #""instrument_token":\#(instruments[index].token),"#,
                                          with: #""instrument_token":\#(tokens[index]),"#)
            }
            let body = KiteQuoteTopsTests.body(entries)
            let response = BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")], body: body)
            let fast = Result { () throws(BrokerError) in try client.parseQuoteTops(response, keys: keys, expectedFirst: 0) }
            let general = Result { () throws(BrokerError) in try KiteQuoteTopsTests.reference(response, keys: keys) }
            #expect(fast == general, "seed \(seed) second \(second): \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test("a repeated token is taken from the memo, and one grown by a digit is read in full and remembered anew")
    func tokenMemo() throws {
        var random = SplitMix64(seed: 10)
        var instruments = (0..<4).map { index in
            Instrument(key: "NFO:K\(index)", token: [123, 12_345_678, 7, 99_999][index],
                       head: #""last_trade_time":"2026-11-24 09:59:5\#(index)","last_price":10\#(index).5,"last_quantity":75"#,
                       tail: #""volume":\#(1000 + index),"average_price":99.87,"oi":4500,"oi_day_high":5000,"oi_day_low":4000,"#
                           + #""net_change":-12.3,"lower_circuit_limit":0.05,"upper_circuit_limit":523.4,"#
                           + #""ohlc":{"open":98,"high":110.25,"low":95.5,"close":113.35}"#)
        }
        let keys = QuoteTapeMemoTests.keyIndex(instruments)
        var memo = QuoteTapeMemo()
        memo.prepare(keys: keys.keys.count)
        func decode() throws -> MatchedQuotes {
            let body = KiteQuoteTopsTests.body(instruments.map { QuoteTapeMemoTests.entry($0, second: 0, &random) })
            guard case .quotes(let matched) = try KiteQuoteDecoder.decodeTops(body, httpStatus: 200, keys: keys, expectedFirst: 0, memo: &memo)
            else { throw BrokerError.malformedResponse(reason: "not a success", httpStatus: 200) }
            return matched
        }
        _ = try decode()
        // All but the last quote (too near the body's end for the tops reader) remember their token.
        #expect(memo.entries[0..<3].map(\.tokenLength) == [3, 8, 1] && memo.entries[1].token == 12_345_678)
        // A marked value shows which path ran: the same digits give the marked (remembered) token.
        memo.entries[0].token = 77
        #expect(try decode().matched[0].quote.instrumentToken == 77)
        // The token grows by a digit: its remembered digits are a prefix, a digit follows them, so it is read in full.
        instruments[0].token = 1234
        #expect(try decode().matched[0].quote.instrumentToken == 1234)
        #expect(memo.entries[0].tokenLength == 4 && memo.entries[0].token == 1234)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
