import Foundation
import Platform
import Testing

@testable import Chaos

/// The run report: the timeline folds the event log into buckets that add up to the run's own counters,
/// whatever the chunking; the page names the run, escapes text and draws the scenario's windows.
@Suite struct RunReportTests {
    /// broker-faults (errors, partial and stale quotes, a maintenance window), its log bytes and outcome.
    static let run: (scenario: Scenario, log: [UInt8], outcome: RunOutcome)? = {
        let path = ScenarioTests.root.appendingPathComponent("Scenarios/broker-faults.json").path
        guard let scenario = try? ScenarioDecoder.load(path: path) else { return nil }
        let box = Bytes()
        let outcome = ScenarioRun.run(scenario, logOutput: { box.value += $0 })
        return (scenario, box.value, outcome)
    }()

    final class Bytes: @unchecked Sendable { var value: [UInt8] = [] }

    static func counter(_ outcome: RunOutcome, _ name: String) -> Int {
        Int(outcome.counters.first { $0.name == name }?.value ?? -1)
    }

    @Test("the timeline's buckets add up to the run's snapshots, stored rows and broker responses; failures are listed")
    func bucketsAddUp() throws {
        let run = try #require(Self.run)
        var timeline = RunTimeline(start: run.scenario.start, end: run.scenario.end)
        timeline.consume(run.log)
        let buckets = timeline.buckets
        #expect(timeline.unreadableLines == 0)
        #expect(timeline.bucketSeconds == 2 && buckets.count == 90)
        #expect(buckets.map { $0.snapshotsComplete + $0.snapshotsPartial }.reduce(0, +) == Self.counter(run.outcome, "snapshots"))
        #expect(buckets.map(\.rowsStored).reduce(0, +) == Self.counter(run.outcome, "rows_stored"))
        let responses = buckets.map { $0.responsesOK + $0.responsesRateLimited + $0.responsesClientError + $0.responsesServerError + $0.transportFaults }
        let logged = String(decoding: run.log, as: UTF8.self).components(separatedBy: "\"kind\":\"response\"").count - 1
        #expect(responses.reduce(0, +) == logged)
        #expect(buckets.map(\.responsesServerError).reduce(0, +) > 0, "the maintenance window answers 503")
        #expect(timeline.failureCount > 0 && timeline.failures.first?.kind == "batch_failed")
        #expect(timeline.indices == ["NIFTY", "BANKNIFTY"])
        #expect(timeline.header.first?.key == "scenario" && timeline.header.first?.value == "broker-faults")
    }

    @Test("20 random chunkings of the log give the same timeline as one chunk")
    func chunkingInvariant() throws {
        let run = try #require(Self.run)
        var whole = RunTimeline(start: run.scenario.start, end: run.scenario.end)
        whole.consume(run.log)
        var random = SplitMix64(seed: 99)
        for _ in 0..<20 {
            var pieces = RunTimeline(start: run.scenario.start, end: run.scenario.end)
            var offset = 0
            while offset < run.log.count {
                let length = 1 + Int(random.next() % 700)
                pieces.consume(Array(run.log[offset..<min(run.log.count, offset + length)]))
                offset += length
            }
            #expect(pieces.buckets == whole.buckets)
            #expect(pieces.failures == whole.failures)
        }
    }

    @Test("the page names the run and digest, lists every invariant, shades the maintenance window and escapes the purpose")
    func page() throws {
        let run = try #require(Self.run)
        var scenario = run.scenario
        scenario.purpose = "a <script>alert(1)</script> & more"
        var timeline = RunTimeline(start: scenario.start, end: scenario.end)
        timeline.consume(run.log)
        let html = RunReport.html(
            summary: RunSummary(scenario: scenario.name, seed: scenario.seed, outcome: run.outcome, wallSeconds: 1.5),
            scenario: scenario, timeline: timeline)
        #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains(run.outcome.digest.hexString))
        for result in run.outcome.invariants { #expect(html.contains(result.id)) }
        #expect(html.contains("a &lt;script&gt;alert(1)&lt;/script&gt; &amp; more") && !html.contains("<script>"))
        #expect(html.contains("<title>maintenance</title>"))
        for tag in ["svg", "table", "tr", "h2"] {
            #expect(html.components(separatedBy: "<\(tag)").count == html.components(separatedBy: "</\(tag)>").count, "<\(tag)> balanced")
        }
    }

    @Test("round y-axis ceilings: 1, 2, 2.5 or 5 times a power of ten at or above the value")
    func niceCeiling() {
        #expect([0, 0.3, 1, 1.2, 2.2, 3, 7, 10, 11, 4_100].map(SVGChart.niceCeiling) == [1, 0.5, 1, 2, 2.5, 5, 10, 10, 20, 5_000])
    }
}
