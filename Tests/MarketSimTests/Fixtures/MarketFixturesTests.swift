import Foundation
import Testing

@testable import MarketSim

@Suite struct MarketFixturesTests {
    static var fixtureURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/markets/india-index-options.json")
    }

    @Test("the embedded fixture equals fixtures/markets/india-index-options.json byte for byte (run embed.sh)")
    func embeddedMatchesFile() throws {
        let file = try String(contentsOf: Self.fixtureURL, encoding: .utf8)
        #expect(MarketFixtures.indiaIndexOptions + "\n" == file)
    }

    @Test("the standard spec lists the five indices with their spot tokens and the 09:15–15:30 session")
    func standardSpec() {
        let spec = MarketSpec.standard
        #expect(spec.indices.map(\.name) == ["NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY", "SENSEX"])
        #expect(spec.indices.map(\.spotToken) == [256265, 260105, 257801, 288009, 265])
        #expect(spec.indices.allSatisfy { $0.spotToken & 0xFF == 9 })
        #expect(spec.calendar.openSecond == 9 * 3600 + 15 * 60)
        #expect(spec.calendar.sessionSeconds == 22_500)
        #expect(spec.vix.spotToken == 264969)
    }

    @Test("a fixture with a bad weekday is rejected with the key path at fault")
    func badWeekdayRejected() {
        let broken = MarketFixtures.indiaIndexOptions.replacingOccurrences(
            of: "{ \"expiry_from\": \"2025-09-01\", \"weekday\": 2 }\n      ],\n      \"monthly\"",
            with: "{ \"expiry_from\": \"2025-09-01\", \"weekday\": 9 }\n      ],\n      \"monthly\"")
        #expect(broken != MarketFixtures.indiaIndexOptions)
        #expect(throws: MarketSpecError.self) { try MarketSpec.decode(Array(broken.utf8)) }
        do {
            _ = try MarketSpec.decode(Array(broken.utf8))
        } catch {
            #expect(error.keyPath == "indices[0].weekly[1].weekday")
        }
    }

    @Test("a fixture that is not JSON is rejected, not a crash")
    func garbageRejected() {
        #expect(throws: MarketSpecError.self) { try MarketSpec.decode(Array("{\"schema_version\": 1".utf8)) }
    }
}
