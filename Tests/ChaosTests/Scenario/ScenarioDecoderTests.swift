import Foundation
import Platform
import Testing

@testable import Chaos

@Suite struct ScenarioDecoderTests {
    private func decode(_ text: String) throws(ScenarioError) -> Scenario {
        try ScenarioDecoder.decode(Array(text.utf8), file: "test.json")
    }

    private func error(_ text: String) -> ScenarioError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    static let valid = """
        {"schema_version": 1, "name": "t", "seed": 7,
         "session": {"date": "2026-11-24", "start": "09:15", "end": "10:15:30"}, "indices": ["NIFTY"]}
        """

    @Test("a valid scenario decodes with its IST times")
    func decodesValid() throws {
        let scenario = try decode(Self.valid)
        #expect(scenario.seed == 7)
        #expect(scenario.start.description == "2026-11-24T09:15:00+05:30")
        #expect(scenario.end.description == "2026-11-24T10:15:30+05:30")
    }

    @Test("the built-in default equals Scenarios/default.json byte for byte")
    func defaultMatchesFile() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/default.json")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == Scenario.defaultJSON)
    }

    @Test("a wrong type names the key path and both types")
    func wrongType() {
        let bad = Self.valid.replacingOccurrences(of: "\"seed\": 7", with: "\"seed\": \"7\"")
        #expect(error(bad) == .wrongType(file: "test.json", keyPath: "seed", expected: "a non-negative integer", found: "a string"))
    }

    @Test("a missing nested key names its full path")
    func missingKey() {
        let bad = Self.valid.replacingOccurrences(of: "\"date\": \"2026-11-24\", ", with: "")
        #expect(error(bad)?.keyPath == "session.date")
        #expect(error(bad)?.description.contains("missing key 'session.date'") == true)
    }

    @Test("invalid JSON reports line and column")
    func invalidJSON() {
        guard case .invalidJSON(_, let parse) = error("{\n \"name\": }") else {
            Issue.record("expected invalidJSON")
            return
        }
        #expect(parse.line == 2)
    }

    @Test("bad values are rejected with the key path", arguments: [
        ("\"seed\": 7", "\"seed\": -1", "seed"),
        ("\"seed\": 7", "\"seed\": 1.5", "seed"),
        ("\"end\": \"10:15:30\"", "\"end\": \"09:00\"", "session.end"),
        ("\"start\": \"09:15\"", "\"start\": \"9:15\"", "session.start"),
        ("\"2026-11-24\"", "\"2026-02-30\"", "session.date"),
        ("[\"NIFTY\"]", "[\"NIFTY\", \"NIFTY\"]", "indices[1]"),
        ("[\"NIFTY\"]", "[\"DOW\"]", "indices[0]"),
        ("[\"NIFTY\"]", "[]", "indices"),
        ("\"schema_version\": 1", "\"schema_version\": 2", "schema_version"),
        ("\"seed\": 7", "\"seed\": 7, \"sede\": 8", "sede"),
        ("\"end\": \"10:15:30\"", "\"end\": \"10:15:30\", \"x\": 1", "session.x"),
    ])
    func badValues(original: String, replacement: String, keyPath: String) {
        let bad = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(error(bad)?.keyPath == keyPath)
    }

    @Test("every scenario file in Scenarios/ is valid")
    func shippedScenarios() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files.sorted() {
            #expect(throws: Never.self) { try ScenarioDecoder.load(path: directory.appendingPathComponent(file).path) }
        }
    }

    @Test("mutated scenario files never crash the decoder", arguments: Array(0..<8) as [UInt64])
    func fuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let base = Array(Self.valid.utf8)
        for _ in 0..<300 {
            var bytes = base
            for _ in 0..<Int(random.next(below: 4)) + 1 {
                let position = Int(random.next(below: UInt64(bytes.count)))
                switch random.next(below: 3) {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                }
            }
            // Either a scenario or a typed error; never a crash.
            _ = try? ScenarioDecoder.decode(bytes, file: "fuzz.json")
        }
    }
}
