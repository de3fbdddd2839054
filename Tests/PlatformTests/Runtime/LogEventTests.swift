import Testing

@testable import Platform

/// A log line's bytes feed the run digest: the fast writer must match the plain string-built line.
@Suite struct LogEventTests {
    /// The line as first written: every part through `String` and `JSONWriter`.
    static func referenceLine(_ event: LogEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"t":"#.utf8)
        out.append(contentsOf: String(event.time.nanosecondsSinceEpoch).utf8)
        out.append(contentsOf: #","at":""#.utf8)
        out.append(contentsOf: event.time.description.utf8)
        out.append(contentsOf: #"","component":"#.utf8)
        JSONWriter.appendString(event.component, to: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        JSONWriter.appendString(event.kind, to: &out)
        for (key, value) in event.fields {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case .int(let value): out.append(contentsOf: String(value).utf8)
            case .double(let value): JSONWriter.appendNumber(value, to: &out)
            case .string(let value): JSONWriter.appendString(value, to: &out)
            case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
            case .instant(let value): JSONWriter.appendString(value.description, to: &out)
            }
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    static func text(_ random: inout SplitMix64) -> String {
        let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "₹", "🙂", "snapshot", "/d/x.csv"]
        return (0..<Int(random.next(below: 24))).map { _ in alphabet[Int(random.next(below: UInt64(alphabet.count)))] }.joined()
    }

    @Test("jsonLine writes the same bytes as the string-built reference line for random events",
          arguments: Array(1...10) as [UInt64])
    func matchesReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            var fields: [(String, LogValue)] = []
            for _ in 0..<Int(random.next(below: 8)) {
                let value: LogValue
                switch random.next(below: 5) {
                case 0: value = .int(Int64(bitPattern: random.next()) >> Int64(random.next(below: 64)))
                case 1: value = .double(Double(bitPattern: random.next()))
                case 2: value = .string(Self.text(&random))
                case 3: value = .bool(random.next(below: 2) == 0)
                default: value = .instant(Instant(nanosecondsSinceEpoch: random.next(in: -4_000_000_000_000_000_000...4_000_000_000_000_000_000)))
                }
                fields.append((Self.text(&random), value))
            }
            let event = LogEvent(
                time: Instant(nanosecondsSinceEpoch: random.next(in: -4_000_000_000_000_000_000...4_000_000_000_000_000_000)),
                component: Self.text(&random), kind: Self.text(&random), fields: fields)
            var line: [UInt8] = []
            event.jsonLine(into: &line)
            #expect(line == Self.referenceLine(event), "seed \(seed)")
        }
    }
}
