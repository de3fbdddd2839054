import Testing

@testable import Platform

@Suite struct JSONParserTests {
    @Test("valid documents parse to the expected values")
    func parsesValid() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n"}"#)
        #expect(value["a"] == .array([
            .number(JSONNumber(text: "1")), .number(JSONNumber(text: "-2.5e3")), .bool(true), .bool(false), .null,
        ]))
        #expect(value["b"] == .string("xé😀\n"))
    }

    @Test("invalid documents are rejected with a position", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "\"abc", "\"\\x\"", "\"\u{01}\"", "[1] 2",
        "{\"a\" 1}", "{1:2}", "\"\\ud800\"", "\"\\udc00\"", "tru", "nul", "[", "NaN",
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test("errors report line and column")
    func errorPosition() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": ?\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test("deep nesting is refused rather than overflowing the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test("writing then parsing returns the same value, for strings with any characters")
    func roundTrip() throws {
        var random = SplitMix64(seed: 11)
        for _ in 0..<500 {
            let scalars = (0..<Int(random.next(below: 20))).map { _ -> Character in
                let options: [UInt32] = [0, 0x1F, 0x22, 0x5C, 0x41, 0xE9, 0x20AC, 0x1F600]
                return Character(Unicode.Scalar(options[Int(random.next(below: UInt64(options.count)))])!)
            }
            let text = String(scalars)
            #expect(try JSONParser.parse(JSONWriter.quoted(text)) == .string(text))
        }
    }

    @Test("numbers are written in shortest round-trip form")
    func numbers() throws {
        var random = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            var out: [UInt8] = []
            JSONWriter.appendNumber(value, to: &out)
            guard case .number(let number) = try JSONParser.parse(out) else {
                Issue.record("not a number")
                continue
            }
            #expect(number.double.bitPattern == value.bitPattern || (value == 0 && number.double == 0))
        }
    }
}
