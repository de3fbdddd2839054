import Testing

@testable import Platform

/// Hostile bodies for the client's parsers: every outcome must be values or a typed `BrokerError`.
@Suite struct KiteClientFuzzTests {
    static let client = KiteClientTests.client()

    /// Runs every parser over `body`; any thrown error must be a BrokerError (typed throws make this static).
    static func parseAll(_ body: [UInt8], status: Int = 200) {
        let json = BrokerResponse(status: status, headers: [HeaderField("Content-Type", "application/json")], body: body)
        let csv = BrokerResponse(status: status, headers: [HeaderField("Content-Type", "text/csv")], body: body)
        _ = try? client.parseQuotes(json)
        _ = try? client.parseCandles(json)
        _ = try? client.parseProfile(json)
        _ = try? client.parseInstruments(csv)
        var fresh = client
        _ = try? fresh.acceptSession(json)
    }

    @Test("every truncation of a valid quote response is a typed error, never a crash or a success")
    func truncations() {
        let body = Array(KiteClientTests.quoteBody.utf8)
        for length in 0..<body.count {
            let response = KiteClientTests.json(200, "")
            var cut = response
            cut.body = Array(body[0..<length])
            #expect(throws: BrokerError.self) { try KiteClientFuzzTests.client.parseQuotes(cut) }
            KiteClientFuzzTests.parseAll(cut.body)
        }
    }

    @Test("random byte mutations, invalid UTF-8 and huge numbers never crash the parsers", arguments: [1, 2, 3, 4] as [UInt64])
    func mutations(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let base = Array(KiteClientTests.quoteBody.utf8)
        let alphabet = Array("{}[]\":,0123456789.eE-+ntfu\\ ".utf8) + [0xFF, 0xC3, 0x80, 0x00, 0xED, 0xA0]
        for _ in 0..<400 {
            var body = base
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = Int(random.next() % UInt64(body.count))
                switch random.next() % 4 {
                case 0: body[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: body.remove(at: position)
                case 2: body.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                default: body.insert(contentsOf: Array("99999999999999999999999".utf8), at: position)
                }
            }
            KiteClientFuzzTests.parseAll(body)
        }
    }

    @Test("wrong types in every quote field are typed errors naming an offset")
    func wrongTypes() {
        let fields = ["instrument_token", "last_price", "volume", "ohlc", "depth", "timestamp", "oi"]
        for field in fields {
            for replacement in [#""text""#, "[1,2]", "{}", "true", "-", "1e999", "18446744073709551616"] {
                let body = #"{"status":"success","data":{"K":{"instrument_token":1,"\#(field)":\#(replacement)}}}"#
                let response = KiteClientTests.json(200, body)
                do {
                    _ = try KiteClientFuzzTests.client.parseQuotes(response)
                } catch {
                    if case .malformedResponse(let reason, _) = error { #expect(reason.contains("offset") || reason.contains("range")) }
                }
            }
        }
        let invalidKey: [UInt8] = Array(#"{"status":"success","data":{""#.utf8) + [0xFF, 0xFE] + Array(#"":{"instrument_token":1}}}"#.utf8)
        #expect(throws: BrokerError.self) { try KiteClientFuzzTests.client.parseQuotes(KiteClientTests.json(200, "").with(body: invalidKey)) }
        let deep = String(repeating: "[", count: 10_000)
        KiteClientFuzzTests.parseAll(Array(#"{"status":"success","data":{"K":{"x":\#(deep)"#.utf8))
        KiteClientFuzzTests.parseAll(Array(deep.utf8))
    }
}

extension BrokerResponse {
    fileprivate func with(body: [UInt8]) -> BrokerResponse {
        var copy = self
        copy.body = body
        return copy
    }
}
