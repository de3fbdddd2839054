import Platform
import Testing

@testable import Chaos

/// `collector.sources` and the ticker faults under `link`: decoded, and rejected with key paths.
@Suite struct ScenarioDecoderTickerTests {
    static let valid = """
        {"schema_version": 1, "name": "t", "seed": 7,
         "session": {"date": "2026-11-25", "start": "09:15", "end": "09:20"}, "indices": ["NIFTY", "BANKNIFTY"],
         "collector": {"sources": {"NIFTY": "ticker"}},
         "link": {"ticker_disconnects_per_hour": 12, "ticker_disconnects_at": ["09:16:30"]}}
        """

    static func keyPath(_ text: String) -> String? {
        do {
            _ = try ScenarioDecoder.decode(Array(text.utf8), file: "t.json")
            return nil
        } catch {
            return error.keyPath
        }
    }

    @Test("sources set each listed index's source; unlisted indices poll REST; ticker faults reach the link")
    func decodes() throws {
        let scenario = try ScenarioDecoder.decode(Array(Self.valid.utf8), file: "t.json")
        let config = try #require(scenario.collector).config(indices: scenario.indices, seed: 1)
        #expect(config.indices.map(\.source) == [.ticker, .rest])
        #expect(scenario.link.tickerDisconnectsPerHour == 12)
        #expect(scenario.link.tickerDisconnects.map(\.description) == ["2026-11-25T09:16:30+05:30"])
    }

    @Test("bad sources and ticker faults are rejected with the key path", arguments: [
        (#""NIFTY": "ticker""#, #""NIFTY": "websocket""#, "collector.sources.NIFTY"),
        (#""NIFTY": "ticker""#, #""DOW": "ticker""#, "collector.sources.DOW"),
        (#""NIFTY": "ticker""#, #""FINNIFTY": "ticker""#, "collector.sources.FINNIFTY"),
        (#""NIFTY": "ticker""#, #""NIFTY": 1"#, "collector.sources.NIFTY"),
        (#""ticker_disconnects_per_hour": 12"#, #""ticker_disconnects_per_hour": -1"#, "link.ticker_disconnects_per_hour"),
        (#"["09:16:30"]"#, #"["9:16"]"#, "link.ticker_disconnects_at[0]"),
        (#"["09:16:30"]"#, #""09:16:30""#, "link.ticker_disconnects_at"),
    ])
    func rejects(original: String, replacement: String, keyPath: String) {
        #expect(Self.keyPath(Self.valid.replacingOccurrences(of: original, with: replacement)) == keyPath)
    }
}
