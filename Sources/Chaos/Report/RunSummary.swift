import Platform

/// The summary of one run, written as `summary.json`. Keys are stable; later features add keys.
public struct RunSummary: Sendable {
    public var scenario: String
    public var seed: UInt64
    public var outcome: RunOutcome
    /// Wall-clock seconds the run took (measured by the caller, never inside the simulation).
    public var wallSeconds: Double

    public init(scenario: String, seed: UInt64, outcome: RunOutcome, wallSeconds: Double) {
        self.scenario = scenario
        self.seed = seed
        self.outcome = outcome
        self.wallSeconds = wallSeconds
    }

    /// Virtual seconds simulated per wall-clock second.
    public var speedup: Double {
        wallSeconds > 0 ? outcome.virtualSeconds / wallSeconds : 0
    }

    /// The summary as pretty-printed JSON with a fixed key order.
    public var json: String {
        var lines: [String] = []
        func number(_ value: Double) -> String {
            var out: [UInt8] = []
            JSONWriter.appendNumber(value, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        lines.append("  \"scenario\": \(JSONWriter.quoted(scenario)),")
        lines.append("  \"seed\": \(seed),")
        lines.append("  \"digest\": \"\(outcome.digest.hexString)\",")
        lines.append("  \"events\": \(outcome.events),")
        lines.append("  \"steps\": \(outcome.steps),")
        lines.append("  \"start\": \"\(outcome.start)\",")
        lines.append("  \"end\": \"\(outcome.end)\",")
        lines.append("  \"end_reason\": \"\(outcome.endReason.rawValue)\",")
        lines.append("  \"virtual_seconds\": \(number(outcome.virtualSeconds)),")
        lines.append("  \"wall_seconds\": \(number(wallSeconds)),")
        lines.append("  \"speedup\": \(number(speedup.rounded())),")
        lines.append("  \"invariants_hold\": \(outcome.invariantsHold),")
        let counters = outcome.counters.map { "    \(JSONWriter.quoted($0.name)): \($0.value)" }
        lines.append("  \"platform\": {" + (counters.isEmpty ? "}," : "\n" + counters.joined(separator: ",\n") + "\n  },"))
        let invariants = outcome.invariants.map { result in
            var fields = "\"id\": \(JSONWriter.quoted(result.id)), \"holds\": \(result.holds), \"checked\": \(result.checked)"
            if let detail = result.detail { fields += ", \"detail\": \(JSONWriter.quoted(detail))" }
            return "    { \(fields) }"
        }
        lines.append("  \"invariants\": [\n" + invariants.joined(separator: ",\n") + "\n  ]")
        return "{\n" + lines.joined(separator: "\n") + "\n}\n"
    }
}
