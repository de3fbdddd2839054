import Foundation
import MarketSim
import Platform

/// Decodes and validates scenario files.
///
/// The schema grows by adding sections here, each read through a `ScenarioReader` so it gets key
/// paths in its errors and unknown-key rejection for free.
public enum ScenarioDecoder {
    /// Reads and decodes the scenario file at `path`.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: readFailure(path))
        }
        return try decode(Array(data), file: path)
    }

    private static func readFailure(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no such file"
        }
        return isDirectory.boolValue ? "it is a directory" : "permission denied or unreadable"
    }

    /// Decodes scenario JSON; `file` names the source in error messages.
    public static func decode(_ bytes: [UInt8], file: String) throws(ScenarioError) -> Scenario {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .invalidJSON(file: file, error)
        }
        var reader = try ScenarioReader(file: file, path: "", value: root)
        let version = try reader.integer(
            reader.required("schema_version", expected: "an integer schema version"), at: "schema_version",
            in: Int64(Scenario.schemaVersionsSupported.lowerBound)...Int64(Scenario.schemaVersionsSupported.upperBound))
        let name = try reader.string(reader.required("name", expected: "a string"), at: "name")
        guard !name.isEmpty else {
            throw .invalidValue(file: file, keyPath: "name", expected: "a non-empty string", found: "\"\"")
        }
        let purpose = try reader.optional("purpose").map { v throws(ScenarioError) in try reader.string(v, at: "purpose") } ?? ""
        let seed = try reader.seed(reader.required("seed", expected: "a non-negative integer"), at: "seed")
        let session = try decodeSession(reader.required("session", expected: "an object with date, start and end"), reader)
        let indices = try decodeIndices(reader.required("indices", expected: "an array of index symbols"), reader)
        let heartbeat = try reader.optional("heartbeat_seconds").map { v throws(ScenarioError) in
            try reader.integer(v, at: "heartbeat_seconds", in: 1...86_400)
        } ?? 1
        var tags: [String] = []
        if let value = try reader.optional("tags") {
            for (position, item) in try reader.array(value, at: "tags").enumerated() {
                tags.append(try reader.string(item, at: "tags[\(position)]"))
            }
        }
        let collector = try reader.optional("collector").map { v throws(ScenarioError) in try decodeCollector(v, reader) }
        let link = try reader.optional("link").map { v throws(ScenarioError) in try decodeLink(v, reader, session: session) }
        let broker = try reader.optional("broker").map { v throws(ScenarioError) in try decodeBroker(v, reader) }
        let load = try reader.optional("load").map { v throws(ScenarioError) in try decodeLoad(v, reader) }
        let market = try reader.optional("market").map { v throws(ScenarioError) in
            try decodeMarket(v, reader, indices: indices, date: session.date)
        }
        if market != nil, collector == nil {
            throw .invalidValue(file: file, keyPath: "market", expected: "a collector section too (without one, no market runs)",
                                found: "market without collector")
        }
        if load != nil, collector == nil {
            throw .invalidValue(file: file, keyPath: "load", expected: "a collector section too (the API serves what it collects)",
                                found: "load without collector")
        }
        for (symbol, _) in collector?.sources ?? [] where !indices.contains(symbol) {
            throw .invalidValue(file: file, keyPath: "collector.sources.\(symbol)", expected: "an index listed in indices (\(indices.joined(separator: ", ")))",
                                found: JSONWriter.quoted(symbol))
        }
        try reader.finish()
        var scenario = Scenario(
            schemaVersion: Int(version), name: name, purpose: purpose, seed: seed, sessionDate: session.date,
            startSecondOfDay: session.start, endSecondOfDay: session.end, indices: indices,
            heartbeatSeconds: Int(heartbeat))
        scenario.collector = collector
        scenario.tags = tags
        if collector != nil {
            let day = TradingDate(daysSinceEpoch: Int(session.date.daysSinceEpoch))
            let spec = MarketSpec.standard
            guard day >= spec.simulatedFrom, day <= spec.simulatedTo else {
                throw .invalidValue(file: file, keyPath: "session.date",
                                    expected: "a date the market model covers (\(spec.simulatedFrom) to \(spec.simulatedTo))",
                                    found: JSONWriter.quoted(session.date.description))
            }
            guard spec.calendar.isTradingDay(day) else {
                throw .invalidValue(file: file, keyPath: "session.date",
                                    expected: "a trading day (weekends and NSE holidays have no market to collect from)",
                                    found: JSONWriter.quoted(session.date.description))
            }
        }
        scenario.link = link ?? .clean
        scenario.broker = broker ?? .perfect
        scenario.load = load
        scenario.market = market
        return scenario
    }

    private static func decodeSession(
        _ value: JSONValue, _ parent: ScenarioReader
    ) throws(ScenarioError) -> (date: CivilDate, start: Int, end: Int) {
        var reader = try parent.object(value, at: "session")
        let dateText = try reader.string(reader.required("date", expected: "a date YYYY-MM-DD"), at: "date")
        guard let date = CivilDate(iso: dateText) else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath("date"),
                                expected: "a calendar date YYYY-MM-DD", found: JSONWriter.quoted(dateText))
        }
        let start = try reader.timeOfDay(reader.required("start", expected: "a time HH:MM[:SS] (IST)"), at: "start")
        let end = try reader.timeOfDay(reader.required("end", expected: "a time HH:MM[:SS] (IST)"), at: "end")
        guard end > start else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath("end"),
                                expected: "a time after session.start", found: formatTime(end))
        }
        try reader.finish()
        return (date, start, end)
    }

    /// `HH:MM:SS` for a time given as seconds after (IST) midnight.
    public static func formatTime(_ secondOfDay: Int) -> String {
        let h = secondOfDay / 3600, m = secondOfDay / 60 % 60, s = secondOfDay % 60
        return [h, m, s].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero, for seconds after (IST) midnight.
    public static func shortTime(_ secondOfDay: Int) -> String {
        let text = formatTime(secondOfDay)
        return secondOfDay % 60 == 0 ? String(text.prefix(5)) : text
    }

    private static func decodeIndices(_ value: JSONValue, _ reader: ScenarioReader) throws(ScenarioError) -> [String] {
        let items = try reader.array(value, at: "indices")
        guard !items.isEmpty else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath("indices"),
                                expected: "at least one index symbol", found: "[]")
        }
        var symbols: [String] = []
        for (position, item) in items.enumerated() {
            let key = "indices[\(position)]"
            let symbol = try reader.string(item, at: key)
            guard Scenario.indicesSupported.contains(symbol) else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath(key),
                                    expected: "one of \(Scenario.indicesSupported.joined(separator: ", "))",
                                    found: JSONWriter.quoted(symbol))
            }
            guard !symbols.contains(symbol) else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath(key),
                                    expected: "each index once", found: "a second \(JSONWriter.quoted(symbol))")
            }
            symbols.append(symbol)
        }
        return symbols
    }
}
