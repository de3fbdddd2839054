/// The built-in default scenario, identical to `Scenarios/default.json` (a test keeps them equal),
/// so `opsim` runs from any directory.
extension Scenario {
    public static let defaultFileName = "default.json"

    public static let defaultJSON = """
        {
          "schema_version": 1,
          "name": "default",
          "purpose": "One full NSE session (09:15-15:30 IST) of the five supported indices; the smoke run every change makes.",
          "seed": 20261124,
          "session": { "date": "2026-11-24", "start": "09:15", "end": "15:30" },
          "indices": ["NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY", "SENSEX"],
          "heartbeat_seconds": 1
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
