/// The built-in default scenario, identical to `Scenarios/default.json` (a test keeps them equal),
/// so `opsim` runs from any directory.
extension Scenario {
    public static let defaultJSON = """
        {
          "schema_version": 1,
          "name": "default",
          "purpose": "A whole NSE session (09:15-15:30 IST): the platform collects NIFTY and BANKNIFTY (4 expiry buckets, ATM ±20 strikes, 1-second polls) from the mock broker and stores every snapshot. Too long for every test run (tagged nightly); `opsim run --until 09:20` runs its opening minutes.",
          "tags": ["nightly", "bench"],
          "seed": 20261125,
          "session": { "date": "2026-11-25", "start": "09:15", "end": "15:30" },
          "indices": ["NIFTY", "BANKNIFTY"],
          "collector": { "strikes_each_side": 20, "buckets": ["current_week", "next_week", "current_month", "next_month"] }
        }

        """

    /// The default scenario, decoded.
    public static var builtInDefault: Scenario {
        // The text is a compile-time constant checked by the tests, so failure is a programmer error.
        do {
            return try ScenarioDecoder.decode(Array(defaultJSON.utf8), file: "(built-in default)")
        } catch {
            preconditionFailure("built-in default scenario is invalid: \(error)")
        }
    }
}
