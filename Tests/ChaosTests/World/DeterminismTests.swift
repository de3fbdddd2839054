import Platform
import Testing

@testable import Chaos

@Suite struct DeterminismTests {
    @Test("running the default scenario's first two minutes twice gives the same digest and event log bytes")
    func runTwice() {
        var scenario = Scenario.builtInDefault
        scenario.endSecondOfDay = scenario.startSecondOfDay + 120
        var first: [UInt8] = []
        var second: [UInt8] = []
        let a = ScenarioRun.run(scenario, logOutput: { first.append(contentsOf: $0) })
        let b = ScenarioRun.run(scenario, logOutput: { second.append(contentsOf: $0) })
        #expect(a.digest == b.digest)
        #expect(first == second)
        #expect(SHA256.hash(first) == a.digest)
        #expect(a.invariantsHold)
    }

    @Test("a different seed gives a different digest", arguments: [2, 3, 4] as [UInt64])
    func seedMatters(seed: UInt64) throws {
        let scenario = try ScenarioDecoder.decode(Array(Self.kernelScenario.utf8), file: "kernel")
        let base = ScenarioRun.run(scenario)
        #expect(ScenarioRun.run(scenario, seed: seed).digest != base.digest)
    }

    static let kernelScenario = """
        {"schema_version": 1, "name": "k", "seed": 1, "session": {"date": "2026-11-25", "start": "09:15", "end": "10:15"},
         "indices": ["NIFTY"]}
        """
}
