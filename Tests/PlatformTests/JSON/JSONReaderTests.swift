import Testing

@testable import Platform

@Suite struct JSONReaderTests {
    static let seeds: [UInt64] = Array(1...40)

    static func reader(_ text: String) -> JSONReader { JSONReader(Array(text.utf8)) }

    @Test("a quote object is read field by field without a tree")
    func readsObject() throws {
        var reader = Self.reader(#" {"side":"CE","strike":21000,"ltp":216.34,"greeks":{"d":[0.7,-1e-3]},"ok":true,"x":null} "#)
        var fields: [String] = []
        var strike: Int64 = 0
        var ltp = 0.0
        try reader.beginObject()
        while let key = try reader.nextKey() {
            fields.append(key)
            switch key {
            case "strike": strike = try reader.readInt()
            case "ltp": ltp = try reader.readDouble()
            case "ok": #expect(try reader.readBool())
            case "x": #expect(try reader.readNull())
            default: try reader.skipValue()
            }
        }
        try reader.end()
        #expect(fields == ["side", "strike", "ltp", "greeks", "ok", "x"])
        #expect(strike == 21000)
        #expect(ltp == 216.34)
    }

    @Test("escaped strings decode like the strict parser's")
    func escapes() throws {
        var reader = Self.reader(#"["a\"b\\c\u00e9\ud83d\ude00\n", "plain"]"#)
        try reader.beginArray()
        #expect(try reader.nextElement())
        #expect(try reader.readString() == "a\"b\\cé😀\n")
        #expect(try reader.nextElement())
        #expect(try reader.readString() == "plain")
        #expect(try !reader.nextElement())
        try reader.end()
    }

    @Test("invalid documents are rejected by skipValue with a typed error", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "\"abc", "\"\\x\"", "\"\u{01}\"", "[1] 2",
        "{\"a\" 1}", "{1:2}", "\"\\ud800\"", "tru", "nul", "[", "NaN", "[1 2]", "1e400",
    ])
    func rejectsInvalid(text: String) {
        var reader = Self.reader(text)
        #expect(throws: JSONReadError.self) {
            try reader.skipValue()
            try reader.end()
        }
    }

    @Test("errors carry the byte offset where the problem is")
    func errorOffset() {
        var reader = Self.reader(#"{"a": 1, "b": tru}"#)
        do {
            try reader.skipValue()
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 14)
        }
    }

    @Test("integers outside Int64 and fractions are refused by readInt")
    func intRange() throws {
        var a = Self.reader("9223372036854775807")
        #expect(try a.readInt() == .max)
        var b = Self.reader("-9223372036854775808")
        #expect(try b.readInt() == .min)
        var c = Self.reader("9223372036854775808")
        #expect(throws: JSONReadError.self) { try c.readInt() }
        var d = Self.reader("1.5")
        #expect(throws: JSONReadError.self) { try d.readInt() }
    }

    @Test("any double written by JSONOutput reads back to the same bits", arguments: seeds)
    func doubleRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 216.34, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e15, 123456789.125]
        for _ in 0..<500 {
            values.append(Double(bitPattern: random.next()))
            values.append(Double(Int64(random.next(below: 10_000_000))) / 100)  // prices with two decimals
            values.append(Double(Int64(random.next(below: 1_000_000))) / 1e6 - 0.5)  // greeks
        }
        for value in values where value.isFinite {
            var out = JSONOutput()
            out.double(value)
            var reader = JSONReader(out.bytes)
            let back = try reader.readDouble()
            try reader.end()
            #expect(back.bitPattern == value.bitPattern, "seed \(seed): \(value) wrote \(String(decoding: out.bytes, as: UTF8.self))")
            // The strict tree parser must agree on the text.
            #expect(try JSONParser.parse(out.bytes) != .null)
        }
    }

    @Test("prices are written in their short decimal form")
    func shortForm() {
        var out = JSONOutput()
        out.beginArray()
        for value in [216.34, 0.1566, -9.1, 1472825, 0.00019, -0.0] { out.double(value) }
        out.endArray()
        #expect(String(decoding: out.bytes, as: UTF8.self) == "[216.34,0.1566,-9.1,1472825,0.00019,-0]")
    }

    @Test("the encoder's output is valid JSON the strict parser reads back to the same tree")
    func encoderMatchesParser() throws {
        var out = JSONOutput()
        out.beginObject()
        out.key("s"); out.string("q\"\\\n\u{01}é")
        out.key("a"); out.beginArray(); out.int(-5); out.bool(false); out.null(); out.beginObject(); out.endObject(); out.endArray()
        out.key("d"); out.double(.nan)
        out.endObject()
        let value = try JSONParser.parse(out.bytes)
        #expect(value["s"] == .string("q\"\\\n\u{01}é"))
        #expect(value["d"] == .null)
        #expect(value.jsonText == String(decoding: out.bytes, as: UTF8.self))
    }

    @Test("mutated documents never crash the reader: it skips them or throws a typed error", arguments: seeds)
    func mutationFuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 31)
        let base = Array(#"{"symbol":"NIFTY","rows":[{"strike":21000,"ltp":216.34,"iv":0.1566,"s":"a\u00e9\n","n":[true,false,null,-1.5e-3]}]}"#.utf8)
        for _ in 0..<300 {
            var bytes = base
            Fuzz.mutate(&bytes, random: &random)
            var reader = JSONReader(bytes)
            let readerAccepts: Bool
            do {
                try reader.skipValue()
                try reader.end()
                readerAccepts = true
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                readerAccepts = false
            }
            // The streaming reader and the strict tree parser accept exactly the same documents.
            let parserAccepts = (try? JSONParser.parse(bytes)) != nil
            #expect(readerAccepts == parserAccepts, "seed \(seed): \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
