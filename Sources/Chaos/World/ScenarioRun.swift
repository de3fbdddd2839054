import Platform

/// Builds the world a scenario describes and runs it.
public enum ScenarioRun {
    /// The components for `scenario` with `seed` (the scenario's own seed unless overridden).
    public static func components(for scenario: Scenario, seed: UInt64) -> [any SimComponent] {
        [Heartbeat(interval: .seconds(scenario.heartbeatSeconds), seed: seed)]
    }

    /// Runs `scenario` to its end. `logOutput`, if given, receives the event log's bytes.
    public static func run(
        _ scenario: Scenario, seed: UInt64? = nil, logOutput: EventLog.Output? = nil
    ) -> RunOutcome {
        let seed = seed ?? scenario.seed
        var world = World(
            start: scenario.start, end: scenario.end,
            components: components(for: scenario, seed: seed),
            log: EventLog(output: logOutput),
            header: [
                LogField("scenario", .string(scenario.name)), LogField("seed", .string(String(seed))),
                LogField("session_date", .string(scenario.sessionDate.description)),
                LogField("indices", .string(scenario.indices.joined(separator: ","))),
            ])
        return world.run()
    }
}
