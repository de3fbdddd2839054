import Testing

@testable import Platform

/// The fast quote path (`parseQuoteTops`, the canonical-layout reader, key matching as bytes) must
/// agree with the reference (`parseQuotes` matched by key) on values and on errors, for any body.
@Suite struct KiteQuoteTopsTests {
    static let client = KiteClientTests.client()

    /// One entry in exactly the layout Kite and the mock write (fields in order, no blanks).
    static func entry(_ key: String, token: Int, price: String = "101.05", levels: Int = 5, stamp: String = "2026-11-24 10:00:01",
                      tradeTime: String = "2026-11-24 10:00:00") -> String {
        let level = #"{"price":100.5,"quantity":75,"orders":3}"#
        let side = Array(repeating: level, count: levels).joined(separator: ",")
        return #""\#(key)":{"instrument_token":\#(token),"timestamp":"\#(stamp)","last_trade_time":"\#(tradeTime)","#
            + #""last_price":\#(price),"last_quantity":75,"buy_quantity":1500,"sell_quantity":2250,"volume":123456789,"#
            + #""average_price":99.87,"oi":4500,"oi_day_high":5000,"oi_day_low":4000,"net_change":-12.3,"#
            + #""lower_circuit_limit":0.05,"upper_circuit_limit":523.4,"ohlc":{"open":98,"high":110.25,"low":95.5,"close":113.35},"#
            + #""depth":{"buy":[\#(side)],"sell":[\#(side)]}}"#
    }

    static func body(_ entries: [String]) -> [UInt8] {
        Array((#"{"status":"success","data":{"# + entries.joined(separator: ",") + "}}").utf8)
    }

    static let keys = ["NFO:A24000CE", "NFO:A24000PE", "NSE:NIFTY 50", "NFO:A24050CE", "NFO:A24000CE", "NFO:B"]
    static let canonical = body([
        entry("NFO:A24000CE", token: 1), entry("NFO:A24000PE", token: 2, price: "0.05"),
        entry("NSE:NIFTY 50", token: 256_265, levels: 0, tradeTime: ""), entry("NFO:A24050CE", token: 4, price: "-3"),
    ])

    /// `parseQuotes` with the general reader only (no canonical-layout fast path): the reference.
    static func generalQuotes(_ response: BrokerResponse) throws(BrokerError) -> [BrokerQuote] {
        try KiteClient.requireJSON(response)
        switch try KiteQuoteDecoder.decode(response.body, httpStatus: response.status, canonical: false) {
        case .quotes(let quotes): return quotes
        case .notSuccess: throw KiteClient.errorFromJSON(response)
        }
    }

    /// The general reader's quotes matched to `keys` by `String` key.
    static func reference(_ response: BrokerResponse, keys index: QuoteKeyIndex) throws(BrokerError) -> MatchedQuotes {
        MatchedQuotes(matching: try generalQuotes(response), keys: index)
    }

    /// Asserts the fast tops, the full quotes matched by key and the general reader all agree, values or error.
    static func expectAgreement(_ bytes: [UInt8], keys: [String] = KiteQuoteTopsTests.keys, expectedFirst: Int = 0,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let response = BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")], body: bytes)
        let index = QuoteKeyIndex(keys: keys)
        let fast = Result { () throws(BrokerError) in try client.parseQuoteTops(response, keys: index, expectedFirst: expectedFirst) }
        let byKey = Result { () throws(BrokerError) in try client.matchQuotesByKey(response, keys: index) }
        let general = Result { () throws(BrokerError) in try reference(response, keys: index) }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(fast == general, "\(text)", sourceLocation: sourceLocation)
        #expect(byKey == general, "\(text)", sourceLocation: sourceLocation)
        let full = Result { () throws(BrokerError) in try client.parseQuotes(response) }
        #expect(full == Result { () throws(BrokerError) in try generalQuotes(response) }, "\(text)", sourceLocation: sourceLocation)
    }

    @Test("the canonical layout decodes to the same tops as the general reader, with exact paise")
    func canonicalLayout() throws {
        KiteQuoteTopsTests.expectAgreement(KiteQuoteTopsTests.canonical)
        let response = BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")],
                                      body: KiteQuoteTopsTests.canonical)
        let matched = try KiteQuoteTopsTests.client.parseQuoteTops(
            response, keys: QuoteKeyIndex(keys: KiteQuoteTopsTests.keys), expectedFirst: 0)
        #expect(matched.matched.map(\.position) == [0, 1, 2, 3])
        #expect(matched.matched[0].quote.lastPricePaise == 10_105 && matched.matched[1].quote.lastPricePaise == 5)
        #expect(matched.matched[3].quote.lastPricePaise == -300 && matched.matched[0].quote.volume == 123_456_789)
        #expect(matched.matched[0].quote.bidPaise == 10_050 && matched.matched[0].quote.askQuantity == 75)
        #expect(matched.matched[2].quote.bidPaise == 0 && matched.matched[2].quote.lastTradeTime == nil)
        // Blanks after every ':' force the general reader for every field: the full quotes must not change.
        let spaced = Array(String(decoding: KiteQuoteTopsTests.canonical, as: UTF8.self).replacingOccurrences("\":", "\": ").utf8)
        let general = try KiteQuoteTopsTests.client.parseQuotes(
            BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "application/json")], body: spaced))
        #expect(general == (try KiteQuoteTopsTests.client.parseQuotes(response)))
    }

    @Test("shapes off the canonical layout agree: blanks, order, nulls, exponents, long numbers, rounding, escapes")
    func offCanonicalShapes() {
        let base = KiteQuoteTopsTests.entry("NFO:A24000CE", token: 1)
        let variants: [String] = [
            base.replacingOccurrences(#""volume":123456789"#, with: #""volume": 123456789"#),
            base.replacingOccurrences(#""last_price":101.05"#, with: #""last_price":null"#),
            base.replacingOccurrences(#""last_price":101.05"#, with: #""last_price":1.0105e2"#),
            base.replacingOccurrences(#""last_price":101.05"#, with: #""last_price":101.055"#),
            base.replacingOccurrences(#""last_price":101.05"#, with: #""last_price":101.0"#),
            base.replacingOccurrences(#""volume":123456789"#, with: #""volume":1234567890123456"#),
            base.replacingOccurrences(#""volume":123456789"#, with: #""volume":123456789012345"#),
            base.replacingOccurrences(#""volume":123456789"#, with: #""volume":99999999999999999999"#),
            base.replacingOccurrences(#""instrument_token":1"#, with: #""instrument_token":4294967296"#),
            base.replacingOccurrences(#""instrument_token":1"#, with: #""instrument_token":-1"#),
            base.replacingOccurrences(#""timestamp":"2026-11-24 10:00:01""#, with: #""timestamp":"2026-11-24T10:00:01""#),
            base.replacingOccurrences(#""timestamp":"2026-11-24 10:00:01""#, with: #""timestamp":"2026-13-24 10:00:01""#),
            base.replacingOccurrences(#""timestamp":"2026-11-24 10:00:01""#, with: #""timestamp":"2026-11-24 10:00""#),
            base.replacingOccurrences(#""oi":4500,"#, with: ""),
            base.replacingOccurrences(#""oi":4500,"#, with: #""extra":[1,{"x":null}],"oi":4500,"#),
            base.replacingOccurrences(#","depth""#, with: #","future":true,"depth""#),
            base.replacingOccurrences(#""orders":3}"#, with: #""orders":3,"x":1}"#),
            base.replacingOccurrences(#""NFO:A24000CE""#, with: #""NFO:A24000\u0043E""#),
            base.replacingOccurrences(#""NFO:A24000CE""#, with: #""NFO:Ä""#),
            KiteQuoteTopsTests.entry("NFO:A24000CE", token: 1, levels: 64),
            KiteQuoteTopsTests.entry("NFO:A24000CE", token: 1, levels: 65),
            KiteQuoteTopsTests.entry("NFO:A24000CE", token: 1, levels: 1),
        ]
        for variant in variants {
            KiteQuoteTopsTests.expectAgreement(KiteQuoteTopsTests.body([variant]))
            KiteQuoteTopsTests.expectAgreement(KiteQuoteTopsTests.body([KiteQuoteTopsTests.entry("NFO:B", token: 9), variant]))
        }
    }

    @Test("keys match by String equality in any order: repeats, unrequested keys, out of order, non-ASCII keys")
    func keyMatching() {
        let e = KiteQuoteTopsTests.entry
        let bodies = [
            KiteQuoteTopsTests.body([e("NFO:B", 6, "1", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00"),
                                     e("NFO:A24000CE", 1, "2", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00")]),
            KiteQuoteTopsTests.body([e("NFO:A24000CE", 1, "1", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00"),
                                     e("NFO:A24000CE", 1, "2", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00")]),
            KiteQuoteTopsTests.body([e("NFO:ZZZ", 7, "1", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00"),
                                     e("NFO:A24050CE", 4, "2", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00")]),
        ]
        for body in bodies {
            for first in [0, 3, 5, 40] { KiteQuoteTopsTests.expectAgreement(body, expectedFirst: first) }
            KiteQuoteTopsTests.expectAgreement(body, keys: ["NFO:\u{212A}", "NFO:B", "NFO:A24000CE"])
        }
        // U+212A KELVIN SIGN is canonically equivalent to "K": a non-ASCII key list must match as Strings.
        let kelvin = KiteQuoteTopsTests.body([e("NFO:K", 1, "1", 5, "2026-11-24 10:00:01", "2026-11-24 10:00:00")])
        KiteQuoteTopsTests.expectAgreement(kelvin, keys: ["NFO:\u{212A}"])
        let index = QuoteKeyIndex(keys: ["a", "b", "a", "c", "b"])
        #expect(index.firstPositions == [0, 1, 0, 3, 1] && index.position(of: "c") == 3 && index.isASCII)
    }

    @Test("every truncation of a canonical body fails the same way on both paths")
    func truncations() {
        let body = KiteQuoteTopsTests.canonical
        for length in 0..<body.count { KiteQuoteTopsTests.expectAgreement(Array(body[0..<length])) }
    }

    @Test("random byte mutations of a canonical body give the same values or the same error on both paths",
          arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func mutations(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let base = KiteQuoteTopsTests.canonical
        let alphabet = Array("{}[]\":,0123456789.eE-+ntfu\\ ".utf8) + [0xFF, 0xC3, 0x80, 0x00]
        for _ in 0..<300 {
            var body = base
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(body.count))
                switch random.next() % 3 {
                case 0: body[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: body.remove(at: position)
                default: body.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
            }
            KiteQuoteTopsTests.expectAgreement(body)
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        replacingOccurrences(target, with: replacement)
    }
}
