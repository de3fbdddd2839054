import Platform
import Testing

@testable import Chaos

@Suite struct DeterminismTests {
    @Test("running the default scenario twice gives the same digest and event log bytes")
    func runTwice() {
        var first: [UInt8] = []
        var second: [UInt8] = []
        let a = ScenarioRun.run(.builtInDefault, logOutput: { first.append(contentsOf: $0) })
        let b = ScenarioRun.run(.builtInDefault, logOutput: { second.append(contentsOf: $0) })
        #expect(a.digest == b.digest)
        #expect(first == second)
        #expect(SHA256.hash(first) == a.digest)
        #expect(a.invariantsHold)
    }

    @Test("a different seed gives a different digest", arguments: [1, 2, 3] as [UInt64])
    func seedMatters(seed: UInt64) {
        let base = ScenarioRun.run(.builtInDefault)
        #expect(ScenarioRun.run(.builtInDefault, seed: seed).digest != base.digest)
    }
}
