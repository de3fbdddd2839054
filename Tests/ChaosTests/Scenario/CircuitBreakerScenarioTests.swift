import Foundation
import Platform
import Testing

@testable import Chaos

/// `Scenarios/circuit-breaker.json` end to end: NIFTY's 11% fall at 13:30 halts the market; the collector
/// keeps storing what the broker serves, which is the frozen last traded second until trading resumes.
@Suite struct CircuitBreakerScenarioTests {
    /// Stored rows: (collected HH:MM:SS, exchange HH:MM:SS, underlying).
    static let rows: [(collected: String, exchange: String, underlying: Double)] = {
        let path = ScenarioTests.root.appendingPathComponent("Scenarios/circuit-breaker.json").path
        guard let scenario = try? ScenarioDecoder.load(path: path),
              let disk = ScenarioRun.run(scenario, exportFiles: true).disk,
              let file = disk.snapshotOfFiles.first(where: { $0.path.hasSuffix("/NIFTY.csv") })
        else { return [] }
        return String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (String(cells[0].dropFirst(11).prefix(8)), String(cells[2].dropFirst(11).prefix(8)), Double(cells[16]) ?? 0)
        }
    }()

    @Test("rows collected from 13:30:02 to 14:00:01 all carry the halt's last traded second and its level; from 14:00:02 exchange time moves again")
    func frozenWhileHalted() throws {
        let halted = Self.rows.filter { $0.collected > "13:30:01" && $0.collected <= "14:00:01" }
        #expect(halted.count > 1_500)
        #expect(Set(halted.map(\.exchange)) == ["13:30:01"])
        let level = try #require(halted.first?.underlying)
        #expect(halted.allSatisfy { $0.underlying == level })
        let before = try #require(Self.rows.last { $0.collected == "13:30:00" }?.underlying)
        #expect(abs(level / before - 0.89) < 0.005, "fell from \(before) to \(level)")
        let resumed = Self.rows.filter { $0.collected >= "14:00:02" }
        #expect(!resumed.isEmpty && resumed.allSatisfy { $0.exchange == $0.collected })
        #expect(Set(resumed.map(\.underlying)).count > 5)
    }
}

extension CircuitBreakerScenarioTests {
    @Test("a run that starts inside the halt logs it as halted at its start, the collector logs NIFTY stale after 30 s and fresh at the resume, and the timeline holds both")
    func startsInsideHalt() throws {
        var scenario = try ScenarioDecoder.load(path: ScenarioTests.root.appendingPathComponent("Scenarios/circuit-breaker.json").path)
        scenario.startSecondOfDay = 13 * 3600 + 58 * 60
        final class Bytes: @unchecked Sendable { var value: [UInt8] = [] }
        let log = Bytes()
        _ = ScenarioRun.run(scenario, logOutput: { log.value += $0 })
        let lines = String(decoding: log.value, as: UTF8.self).split(separator: "\n").filter { $0.contains(#""component":"market""#) }
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""at":"2026-11-25T13:58:00+05:30","component":"market","kind":"halted""#) == true)
        #expect(lines.last?.contains(#""kind":"resumed""#) == true)
        var timeline = RunTimeline(start: scenario.start, end: scenario.end)
        timeline.consume(log.value)
        #expect(timeline.halts.count == 1 && timeline.halts.first?.from == scenario.start && timeline.halts.first?.until != nil)
        // The collector reports NIFTY stale once its exchange time has stood still 30 s, and fresh at the resume.
        let stale = try #require(timeline.staleQuotes.first)
        #expect(timeline.staleQuotes.count == 1 && stale.label == "stale NIFTY")
        #expect(stale.from > scenario.start + .seconds(30) && stale.from < scenario.start + .seconds(45), "stale from \(stale.from)")
        #expect(stale.until.map(ISO8601.istSecondOfDay) == 14 * 3600 + 2)
    }
}
