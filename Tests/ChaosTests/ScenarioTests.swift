import Foundation
import Platform
import Testing

@testable import Chaos

/// Every scenario in `Scenarios/` runs, keeps its invariants, and reproduces its pinned digest.
@Suite struct ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var scenarioFiles: [String] {
        let directory = root.appendingPathComponent("Scenarios").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // Scenarios tagged nightly are too long for every test run; `opsim sweep` runs them.
        return names.filter { name in
            guard name.hasSuffix(".json"),
                  let scenario = try? ScenarioDecoder.load(path: root.appendingPathComponent("Scenarios/\(name)").path)
            else { return name.hasSuffix(".json") }
            return !scenario.tags.contains("nightly")
        }.sorted()
    }

    @Test("each scenario keeps its invariants and reproduces the digest in fixtures/digests", arguments: scenarioFiles)
    func scenario(file: String) throws {
        let scenario = try ScenarioDecoder.load(path: Self.root.appendingPathComponent("Scenarios/\(file)").path)
        let outcome = ScenarioRun.run(scenario)
        for result in outcome.invariants {
            #expect(result.holds, "\(file): invariant \(result.id) violated: \(result.detail ?? "")")
        }
        let pinned = Self.root.appendingPathComponent("fixtures/digests/\(scenario.name).sha256")
        let expected = try String(contentsOf: pinned, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            outcome.digest.hexString == expected,
            "\(file) digest changed; if intended, run `opsim run Scenarios/\(file) --quiet > fixtures/digests/\(scenario.name).sha256` and say why in the commit")
    }
}
