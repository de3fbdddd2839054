import Foundation
import Platform
import Testing

@testable import Chaos

/// `Scenarios/market-shock.json` end to end: the staged crash reaches the stored CSV, and the collector
/// re-centres its ATM window onto the fallen market.
@Suite struct MarketShockScenarioTests {
    /// Stored NIFTY rows of the scenario's run: (exchange time HH:MM:SS, strike, type, underlying).
    static let rows: [(time: String, strike: Double, type: String, underlying: Double)] = {
        let path = ScenarioTests.root.appendingPathComponent("Scenarios/market-shock.json").path
        guard let scenario = try? ScenarioDecoder.load(path: path),
              let disk = ScenarioRun.run(scenario, exportFiles: true).disk,
              let file = disk.snapshotOfFiles.first(where: { $0.path.hasSuffix("NIFTY.csv") && !$0.path.hasSuffix("BANKNIFTY.csv") })
        else { return [] }
        return String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (String(cells[2].dropFirst(11).prefix(8)), Double(cells[7]) ?? 0, cells[8], Double(cells[16]) ?? 0)
        }
    }()

    static func underlying(at time: String) -> Double? { rows.first { $0.time == time }?.underlying }

    @Test("NIFTY's stored underlying falls 4% (within 0.3%) between 10:02:00 and 10:02:01 and moves less than 0.5% in every other second")
    func crashStored() throws {
        let before = try #require(Self.underlying(at: "10:02:00"))
        let after = try #require(Self.underlying(at: "10:02:01"))
        #expect(abs(after / before - 0.96) < 0.003, "10:02:00 \(before) -> 10:02:01 \(after)")
        var last: (time: String, level: Double)?
        for row in Self.rows where row.time != last?.time {
            if let last, row.time != "10:02:01" { #expect(abs(row.underlying / last.level - 1) < 0.005, "\(last.time) -> \(row.time)") }
            last = (row.time, row.underlying)
        }
    }

    @Test("a minute after the crash, the collected strikes are centred within 2 strike steps of the fallen index")
    func windowRecentres() throws {
        let level = try #require(Self.underlying(at: "10:02:59"))
        let strikes = Self.rows.filter { $0.time == "10:02:59" && $0.type == "CE" }.map(\.strike)
        let centre = (try #require(strikes.min()) + strikes.max()!) / 2
        #expect(abs(centre - level) <= 100, "strikes centred on \(centre), index at \(level)")
        #expect(strikes.max()! < (try #require(Self.underlying(at: "10:02:00"))))
    }
}
