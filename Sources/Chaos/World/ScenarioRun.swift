import MarketSim
import Platform

/// Builds the world a scenario describes and runs it.
public enum ScenarioRun {
    static let apiKey = "opsim_key"
    static let apiSecret = "opsim_secret"

    /// The components for `scenario` with `seed` (the scenario's own seed unless overridden); the
    /// collector stores on a disk with `retention` (by default keeping every byte, for callers that
    /// read the store afterwards).
    public static func components(
        for scenario: Scenario, seed: UInt64,
        retention: SimulatedDisk.Retention = .everything(memoryLimitBytes: SimulatedDisk.defaultMemoryLimitBytes)
    ) -> [any SimComponent] {
        guard let collector = scenario.collector else {
            return [Heartbeat(interval: .seconds(scenario.heartbeatSeconds), seed: seed)]
        }
        let market = brokerMarket(for: scenario, seed: seed)
        let broker = KiteBroker(
            market: market,
            configuration: KiteBrokerConfiguration(
                apiKey: apiKey, apiSecret: apiSecret, checksum: BrokerBridge.checksum, seed: seed, profile: scenario.broker))
        let config = collector.config(indices: scenario.indices, seed: seed)
        var components: [any SimComponent] = [
            CollectorComponent(config: config, apiKey: apiKey, apiSecret: apiSecret, disk: SimulatedDisk(retention: retention)),
            BrokerLink(endpoint: MockBrokerEndpoint(broker: broker), faults: scenario.link, seed: seed),
        ]
        if config.indices.contains(where: { $0.source == .ticker }) {
            components.append(TickerLink(market: market, faults: scenario.link, seed: seed))
        }
        // Logs staged shocks and circuit-breaker halts; silent (no timer, no line) on a day without either.
        components.append(MarketAnnouncer(market: market, date: scenario.sessionDate, end: scenario.end))
        if let load = scenario.load {
            for number in 1...load.clients {
                components.append(APILoadClient(number: number, requestsPerSecond: load.requestsPerSecond, routes: load.routes,
                                                indices: config.indices.map(\.symbol), seed: seed))
            }
        }
        return components
    }

    /// Header fields naming the scenario's market overrides and events (none without a `market` section,
    /// so scenarios without one keep their digests).
    static func marketHeader(_ scenario: Scenario) -> [LogField] {
        guard let market = scenario.market else { return [] }
        var fields: [LogField] = []
        if !market.circuitBreakers { fields.append(LogField("market_circuit_breakers", .string("off"))) }
        if !market.models.isEmpty { fields.append(LogField("market_overrides", .string(market.models.map(\.index).joined(separator: ",")))) }
        if !market.events.isEmpty {
            fields.append(LogField("market_events", .string(market.eventSummary(openSecond: MarketSpec.standard.calendar.openSecond))))
        }
        return fields
    }

    /// Whether a run of `scenario` reads back what its collector stores: when the files are exported
    /// or API clients query the store. Nothing else in a scenario run reads the disk (the store
    /// recovers at start, from an empty disk).
    static func storedBytesRead(_ scenario: Scenario, exportFiles: Bool) -> Bool {
        exportFiles || scenario.load != nil
    }

    /// The market the mock broker serves for `scenario`.
    static func brokerMarket(for scenario: Scenario, seed: UInt64) -> MarketBrokerAdapter {
        MarketBrokerAdapter(seed: seed, indices: scenario.indices, spec: scenario.market?.spec(from: .standard) ?? .standard)
    }

    /// Runs `scenario` to its end. `logOutput`, if given, receives the event log's bytes; with
    /// `exportFiles`, the outcome carries the simulated disk the platform stored on (for `--out`);
    /// `progress` is told the virtual time once a virtual minute (it cannot change the run).
    ///
    /// The disk keeps the stored bytes only when something reads them: the export, or the API the
    /// scenario's load clients query (`storedBytesRead`). Otherwise it keeps sizes only
    /// (`SimulatedDisk.Retention.sizesOnly`): every append, sync and crash point is the same, so
    /// the event log and digest are too.
    public static func run(
        _ scenario: Scenario, seed: UInt64? = nil, logOutput: EventLog.Output? = nil, exportFiles: Bool = false,
        progress: ((Instant) -> Void)? = nil
    ) -> RunOutcome {
        let seed = seed ?? scenario.seed
        var world = World(
            start: scenario.start, end: scenario.end,
            components: components(
                for: scenario, seed: seed,
                retention: storedBytesRead(scenario, exportFiles: exportFiles)
                    ? .everything(memoryLimitBytes: SimulatedDisk.defaultMemoryLimitBytes) : .sizesOnly),
            log: EventLog(output: logOutput, checkers: scenario.collector == nil ? InvariantCatalog.kernel : InvariantCatalog.platform),
            header: [
                LogField("scenario", .string(scenario.name)), LogField("seed", .string(String(seed))),
                LogField("session_date", .string(scenario.sessionDate.description)),
                LogField("indices", .string(scenario.indices.joined(separator: ","))),
            ] + marketHeader(scenario))
        var outcome = world.run(progress: progress)
        if let collector = world.component(named: "collector") as? CollectorComponent {
            let metrics = collector.collector.metrics
            outcome.counters = [
                ("snapshots", Int64(metrics.snapshots)), ("rows_stored", Int64(collector.rowsStored)),
                ("broker_requests", Int64(metrics.requests)), ("retries", Int64(metrics.retries)),
                ("rate_limited", Int64(metrics.rateLimited)), ("shortfall_contracts", Int64(metrics.shortfallContracts)),
                ("relogins", Int64(metrics.relogins)), ("store_errors", Int64(collector.storeErrors)),
            ] + metrics.failures.keys.sorted().map { ("failures_\($0)", Int64(metrics.failures[$0]!)) }
            if collector.collector.config.indices.contains(where: { $0.source == .ticker }) {
                let ticker = collector.collector.tickerMetrics
                outcome.counters += [
                    ("ticker_streamed_quotes", Int64(ticker.streamedQuotes)), ("ticker_rest_filled_quotes", Int64(ticker.restFilledQuotes)),
                    ("ticker_disconnects", Int64(ticker.disconnects)), ("ticker_frames", Int64(ticker.framesDecoded)),
                ]
            }
            if exportFiles {
                outcome.disk = collector.store.fileSystem
            }
        }
        return outcome
    }
}
