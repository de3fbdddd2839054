import Foundation
import Platform
import Synchronization

/// The platform running live beside a broker: the collector polling it over HTTP, the store on
/// disk, and the REST API (with `/docs`, `/openapi.json`, `/metrics`, `/ready`) on its own port.
///
/// The API reads the store through a `StoreReader`, so it never contends for the collector's
/// directory lock; health and metrics come from the collector's published status.
public final class LivePlatform: Sendable {
    public let collector: LiveCollector
    public let api: HTTPServer
    public let stream: LiveStream
    public let dataDirectory: String

    /// Starts the collector against `brokerURL` (logging in with the key and secret) and the API
    /// on `apiPort`, with `demoKey` allowed every scope; events go to `log` when given. The API and
    /// its per-key limits run on `clock` (real time); the collector runs on `collectorClock` when
    /// given — a clock at the broker's speed, so snapshots carry the broker's virtual time.
    public static func start(
        brokerURL: String, apiKey: String, apiSecret: String, indices: [String], strikesEachSide: Int, dataDirectory: String,
        apiPort: Int, demoKey: String, extraKeys: [APIKeyRecord] = [], corsOrigins: [String], clock: WallClock, seed: UInt64,
        collectorClock: WallClock? = nil, log: LiveLog? = nil
    ) throws(LivePlatformError) -> LivePlatform {
        let collected = indices.compactMap { CollectorIndex.standard($0, strikesEachSide: strikesEachSide) }
        guard !collected.isEmpty else { throw .input("none of \(indices.joined(separator: ",")) is an index the collector knows") }
        let url: BrokerURL
        do { url = try BrokerURL(parsing: brokerURL) } catch { throw .input(error.description) }
        let data = StoreDataSource(
            store: StoreReader(directory: dataDirectory, fileSystem: PosixFileSystem()), indices: collected)
        let demo = APIKeyRecord(id: "demo", key: demoKey, scopes: [.read, .stream, .admin], burst: 50, requestsPerSecond: 20)
        guard !extraKeys.contains(where: { $0.id == "demo" }) else { throw .input("the key id 'demo' is reserved for --demo-key") }
        let keys = APIKeyStore(records: [demo] + extraKeys)
        let stream = LiveStream(data: data, indices: collected.map(\.symbol), keys: keys, clock: clock)
        let sampler = LogSampler()
        let collector: LiveCollector
        do {
            collector = try LiveCollector(broker: url, options: LiveCollectorOptions(
                config: CollectorConfig(indices: collected, seed: seed), apiKey: apiKey, credentials: .apiSecret(apiSecret),
                directory: dataDirectory, clock: collectorClock ?? clock,
                log: { kind, fields in
                    // The rows are in the file now: cached chain bodies of older data must go, and
                    // the stream publishes the new chain without waiting for its next tick.
                    if kind == "snapshot_stored" {
                        data.snapshotStored()
                        stream.snapshotStored()
                    }
                    guard let log, let occurrence = sampler.occurrence(kind) else { return }
                    var logged = fields.map { ($0.key, $0.value) }
                    if LogSampler.sampledKinds.contains(kind) { logged.append(("occurrence", .int(Int64(occurrence)))) }
                    log.record("collector", kind, logged)
                }))
        } catch {
            throw .input("cannot open the data directory: \(error)")
        }
        for recovery in collector.recoveries where recovery.cutBytes > 0 || recovery.rows > 0 {
            log?.record("store", "recovered", [
                ("path", .string(recovery.path)), ("rows", .int(Int64(recovery.rows))), ("cut_bytes", .int(Int64(recovery.cutBytes))),
            ])
        }
        data.update(health: { _ in collector.health().components }, metrics: { Self.metricsText(collector.status()) })
        let router = APIRouter(routes: PlatformAPI.routes(data: data), keys: keys, cors: CORSPolicy(allowedOrigins: corsOrigins))
        var accessLog: (@Sendable (LiveAPI.Access) -> Void)?
        if let log { accessLog = { access in log.access(access) } }
        let live = LiveAPI(router: router, clock: clock, accessLog: accessLog)
        let api: HTTPServer
        do {
            api = try HTTPServer.start(configuration: HTTPServerConfiguration(port: apiPort), router: live.httpRouter,
                                       webSockets: WebSocketRoutes([stream.endpoint]))
        } catch {
            throw .input("cannot serve the API on port \(apiPort): \(error)")
        }
        collector.start()
        stream.start()
        return LivePlatform(collector: collector, api: api, stream: stream, dataDirectory: dataDirectory)
    }

    private init(collector: LiveCollector, api: HTTPServer, stream: LiveStream, dataDirectory: String) {
        self.collector = collector
        self.api = api
        self.stream = stream
        self.dataDirectory = dataDirectory
    }

    /// Stops the stream and the API, then the collector (which finishes its cycle and fsyncs).
    public func shutdown() {
        stream.stop()
        api.shutdown()
        collector.stop()
    }

    /// Waits for the API to stop and the collector to finish (its files fsynced), saying how it ended.
    @discardableResult
    public func wait() -> LiveCollectorOutcome {
        api.wait()
        return collector.wait()
    }

    /// The collector's status as Prometheus metrics.
    static func metricsText(_ status: LiveCollectorStatus) -> String {
        var metrics = MetricsRegistry()
        metrics.declare(.counter("opsim_collector_requests_total", help: "Broker requests sent by the collector."))
        metrics.declare(.counter("opsim_collector_failures_total", help: "Failed broker requests, by kind.", labels: ["kind"]))
        metrics.declare(.counter("opsim_collector_retries_total", help: "Batches retried after a failure."))
        metrics.declare(.counter("opsim_collector_rate_limited_total", help: "Broker answers of 429."))
        metrics.declare(.counter("opsim_store_rows_total", help: "Rows written to the store."))
        metrics.declare(.counter("opsim_store_syncs_total", help: "fsync calls made by the store."))
        metrics.declare(.counter("opsim_collector_snapshots_total", help: "Snapshots stored."))
        metrics.declare(.gauge("opsim_collector_snapshot_completeness", help: "Fraction of planned contracts in the last snapshot."))
        metrics.declare(.gauge("opsim_collector_up", help: "1 while the collector is not down."))
        metrics.increment("opsim_collector_requests_total", by: Double(status.metrics.requests))
        for kind in status.metrics.failures.keys.sorted() {
            metrics.increment("opsim_collector_failures_total", labels: [kind], by: Double(status.metrics.failures[kind]!))
        }
        metrics.increment("opsim_collector_retries_total", by: Double(status.metrics.retries))
        metrics.increment("opsim_collector_rate_limited_total", by: Double(status.metrics.rateLimited))
        metrics.increment("opsim_store_rows_total", by: Double(status.store.rowsWritten))
        metrics.increment("opsim_store_syncs_total", by: Double(status.store.syncs))
        metrics.increment("opsim_collector_snapshots_total", by: Double(status.metrics.snapshots))
        metrics.set("opsim_collector_snapshot_completeness", to: status.metrics.lastCompleteness)
        metrics.set("opsim_collector_up", to: status.health.isReady ? 1 : 0)
        if let ticker = status.ticker {
            metrics.declare(.counter("opsim_collector_ticker_streamed_quotes_total", help: "Contract quotes cut from the ticker stream."))
            metrics.declare(.counter("opsim_collector_ticker_rest_filled_quotes_total", help: "Contract quotes of ticker indices that REST had to fill."))
            metrics.declare(.counter("opsim_collector_ticker_disconnects_total", help: "Ticker connections lost."))
            metrics.declare(.counter("opsim_collector_ticker_frames_total", help: "Binary ticker frames decoded."))
            metrics.declare(.gauge("opsim_collector_ticker_shortfall_tokens", help: "Wanted tokens no ticker connection could take."))
            metrics.increment("opsim_collector_ticker_streamed_quotes_total", by: Double(ticker.streamedQuotes))
            metrics.increment("opsim_collector_ticker_rest_filled_quotes_total", by: Double(ticker.restFilledQuotes))
            metrics.increment("opsim_collector_ticker_disconnects_total", by: Double(ticker.disconnects))
            metrics.increment("opsim_collector_ticker_frames_total", by: Double(ticker.framesDecoded))
            metrics.set("opsim_collector_ticker_shortfall_tokens", to: Double(ticker.shortfallTokens))
        }
        return metrics.prometheusText()
    }
}

/// Why the live platform could not start.
public enum LivePlatformError: Error, Sendable, CustomStringConvertible {
    case input(String)
    public var description: String {
        switch self {
        case .input(let message): return message
        }
    }
}

/// Which collector events reach the log: all, except the per-second ones, which are sampled
/// (the first three of each kind, then every sixtieth) so a day's log stays readable.
final class LogSampler: Sendable {
    static let sampledKinds: Set<String> = ["snapshot_stored", "poll_skipped", "late_response"]
    /// Not logged: the collector's `snapshot` line comes before the write, and the sampled
    /// `snapshot_stored` line after it says the same.
    static let silentKinds: Set<String> = ["snapshot"]
    private let counts = Mutex<[String: Int]>([:])

    /// The event's occurrence number (from 1) when it should be logged, else nil.
    func occurrence(_ kind: String) -> Int? {
        guard !Self.silentKinds.contains(kind) else { return nil }
        let count = counts.withLock { counts -> Int in
            counts[kind, default: 0] += 1
            return counts[kind]!
        }
        guard Self.sampledKinds.contains(kind) else { return count }
        return count <= 3 || count % 60 == 0 ? count : nil
    }
}
