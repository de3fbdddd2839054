import Testing

@testable import Platform

/// The byte-level instruments parser against a plain reference over `String` (the parser it
/// replaced): on valid dumps, reordered columns, quoting, line ends, and thousands of hostile
/// dumps, both give the same instruments or the same error message.
@Suite struct KiteInstrumentsParserTests {
    /// The reference: lines and fields split over `Character`s, numbers through `KiteDecimal.scaled(String)`.
    enum Reference {
        static func parse(_ body: [UInt8], httpStatus: Int) throws(BrokerError) -> [BrokerInstrument] {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw .malformedResponse(reason: "instruments dump is not valid UTF-8", httpStatus: httpStatus)
            }
            var lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.makeIterator()
            guard let headerLine = lines.next() else {
                throw .malformedResponse(reason: "instruments dump is empty (no header row)", httpStatus: httpStatus)
            }
            let header = try fields(headerLine, line: 1, httpStatus: httpStatus)
            var position: [Int] = []
            for column in KiteInstrumentsParser.columns {
                guard let index = header.firstIndex(of: column) else {
                    throw .malformedResponse(reason: "instruments header lacks column `\(column)`", httpStatus: httpStatus)
                }
                position.append(index)
            }
            var instruments: [BrokerInstrument] = []
            var lineNumber = 1
            while let line = lines.next() {
                lineNumber += 1
                let row = try fields(line, line: lineNumber, httpStatus: httpStatus)
                guard row.count == header.count else {
                    throw .malformedResponse(reason: "instruments line \(lineNumber) has \(row.count) fields, expected \(header.count)",
                                             httpStatus: httpStatus)
                }
                func value(_ column: Int) -> String { row[position[column]] }
                func number(_ column: Int, scale: Int) throws(BrokerError) -> Int64 {
                    guard let parsed = KiteDecimal.scaled(value(column), scale: scale) else {
                        throw .malformedResponse(
                            reason: "instruments line \(lineNumber): `\(KiteInstrumentsParser.columns[column])` '\(value(column))' is not a number",
                            httpStatus: httpStatus)
                    }
                    return parsed
                }
                let token = try number(0, scale: 0)
                let exchangeToken = try number(1, scale: 0)
                guard let token32 = UInt32(exactly: token), let exchange32 = UInt32(exactly: exchangeToken) else {
                    throw .malformedResponse(reason: "instruments line \(lineNumber): token out of 32-bit range", httpStatus: httpStatus)
                }
                var expiry: CivilDate?
                if !value(5).isEmpty {
                    guard let date = CivilDate(iso: value(5)) else {
                        throw .malformedResponse(reason: "instruments line \(lineNumber): expiry '\(value(5))' is not YYYY-MM-DD",
                                                 httpStatus: httpStatus)
                    }
                    expiry = date
                }
                instruments.append(BrokerInstrument(
                    instrumentToken: token32, exchangeToken: exchange32, tradingsymbol: value(2), name: value(3),
                    lastPricePaise: try number(4, scale: 2), expiry: expiry, strikePaise: try number(6, scale: 2),
                    tickSizePaise: try number(7, scale: 2), lotSize: try number(8, scale: 0), instrumentType: value(9),
                    segment: value(10), exchange: value(11)))
            }
            return instruments
        }

        static func fields(_ line: Substring, line number: Int, httpStatus: Int) throws(BrokerError) -> [String] {
            var out: [String] = []
            var current = ""
            var quoted = false
            var atFieldStart = true
            for character in line {
                if quoted {
                    if character == "\"" { quoted = false } else { current.append(character) }
                } else if character == "," {
                    out.append(current)
                    current = ""
                    atFieldStart = true
                    continue
                } else if character == "\"" {
                    if !atFieldStart { current.append("\"") }
                    quoted = true
                } else {
                    current.append(character)
                }
                atFieldStart = false
            }
            guard !quoted else {
                throw .malformedResponse(reason: "instruments line \(number) has an unterminated quote", httpStatus: httpStatus)
            }
            out.append(current)
            return out
        }
    }

    /// Both parsers' outcome as comparable text: the instruments, or the error's description.
    static func outcomes(_ body: [UInt8]) -> (fast: String, reference: String) {
        func text(_ parse: () throws(BrokerError) -> [BrokerInstrument]) -> String {
            do throws(BrokerError) { return "\(try parse())" } catch { return "error: \(error)" }
        }
        return (text { () throws(BrokerError) in try KiteInstrumentsParser.parse(body, httpStatus: 200) },
                text { () throws(BrokerError) in try Reference.parse(body, httpStatus: 200) })
    }

    static let header = "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange"
    static let rows = [
        "12345678,48225,NIFTY26D0124000CE,\"NIFTY\",0,2026-12-01,24000,0.05,75,CE,NFO-OPT,NFO",
        "256265,1001,NIFTY 50,NIFTY 50,23662.48,,0,0,0,EQ,INDICES,NSE",
        "87654321,342399,\"BANK\"\"NIFTY\"\"X\",BANKNIFTY,12.5,2026-12-30,52000.5,0.05,35,PE,NFO-OPT,NFO",
    ]

    @Test("a valid dump, with reordered columns, quoted fields and every kind of line end, parses the same as the reference")
    func validDumps() throws {
        let ends = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]
        for end in ends {
            let body = Array(([Self.header] + Self.rows).joined(separator: end).utf8) + Array(end.utf8)
            let (fast, reference) = Self.outcomes(body)
            #expect(fast == reference)
            #expect(!fast.hasPrefix("error"), "\(fast)")
            let parsed = try KiteInstrumentsParser.parse(body, httpStatus: 200)
            #expect(parsed.count == 3 && parsed[2].tradingsymbol == "BANK\"NIFTY\"X" && parsed[2].strikePaise == 5_200_050)
        }
        // Columns reversed: found by name.
        func reversed(_ line: String) -> String { line.split(separator: ",", omittingEmptySubsequences: false).reversed().joined(separator: ",") }
        let plain = [Self.header, Self.rows[0], Self.rows[1]]
        let body = Array(plain.map(reversed).joined(separator: "\n").utf8)
        let (fast, reference) = Self.outcomes(body)
        #expect(fast == reference && !fast.hasPrefix("error"))
    }

    @Test("a comma or quote next to a combining mark, joiner or prepended character still separates or quotes (RFC 4180 over scalars, not graphemes)")
    func separatorsBesideMarks() throws {
        func parse(name: String, lot: String = "75") -> Result<[BrokerInstrument], BrokerError> {
            let row = "12345678,48225,NIFTY26D0124000CE,\(name),0,2026-12-01,24000,0.05,\(lot),CE,NFO-OPT,NFO"
            let body = Array([Self.header, row].joined(separator: "\n").utf8)
            return Result { () throws(BrokerError) in try KiteInstrumentsParser.parse(body, httpStatus: 200) }
        }
        // A comma with a combining acute after it: still a separator, so the row has 13 fields.
        guard case .failure(let split) = parse(name: "NIFTY,\u{301}") else { Issue.record("a comma before a mark did not split"); return }
        #expect("\(split)".contains("has 13 fields, expected 12"))
        // A prepended character before the comma: the comma still ends the field.
        #expect(try parse(name: "N\u{600}").get().first?.name == "N\u{600}")
        // A quote with a combining mark after it: still opens the quoted stretch, the mark is text.
        #expect(try parse(name: "\"\u{301}NIFTY\"").get().first?.name == "\u{301}NIFTY")
        // A joiner at the start of a number's field: text, so not a number.
        guard case .failure(let number) = parse(name: "NIFTY", lot: "\u{200D}0") else { Issue.record("a joiner read as a number"); return }
        #expect("\(number)".contains("`lot_size`") && "\(number)".contains("is not a number"))
    }

    @Test("thousands of hostile dumps — mutated bytes, quotes, separators, multi-byte text, invalid UTF-8 — give the reference's instruments or its error, over 8 seeds",
          arguments: Array(UInt64(1)...8))
    func hostileDumps(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let base = Array(([Self.header] + Self.rows).joined(separator: "\n").utf8)
        // Non-combining multi-byte text (é, ₹) and bytes that break UTF-8; combining marks are left out on
        // purpose: the byte parser splits at a `,` or `"` a combining mark follows, where the `Character`
        // reference sees one grapheme.
        let alphabet = Array("\",\r\n0123456789.-+ n ab".utf8) + Array("é₹".utf8) + [0xFF, 0xC3, 0x00]
        var agreed = 0
        for _ in 0..<500 {
            var body = base
            for _ in 0..<(1 + Int(random.next(below: 4))) {
                let at = Int(random.next(below: UInt64(body.count)))
                switch random.next(below: 3) {
                case 0: body[at] = alphabet[Int(random.next(below: UInt64(alphabet.count)))]
                case 1: body.insert(alphabet[Int(random.next(below: UInt64(alphabet.count)))], at: at)
                default: body.remove(at: at)
                }
            }
            let (fast, reference) = Self.outcomes(body)
            #expect(fast == reference, "seed \(seed): \(String(decoding: body, as: UTF8.self))")
            if !fast.hasPrefix("error") { agreed += 1 }
        }
        // Some mutations leave a parseable dump (in a number's digits, a name), so success is compared too.
        #expect(agreed > 20)
    }
}
