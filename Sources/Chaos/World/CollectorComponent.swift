import Platform

/// The platform's collector and store inside the simulated world, as the component `collector`.
///
/// It carries the collector's effects across the world's ports: requests go to the `link`,
/// timers to the scheduler, snapshots into a `SnapshotStore` on a `SimulatedDisk`, and log lines
/// to the event log. When the collector needs a login it plays the user's browser: it sends
/// `GET /connect/login` through the link and hands the request token from the redirect back.
public struct CollectorComponent: SimComponent {
    public let name = "collector"
    public private(set) var collector: Collector<KiteClient>
    public private(set) var store: SnapshotStore<SimulatedDisk>
    public private(set) var storeErrors = 0
    /// The platform's API over this component's store, for simulated API clients.
    private let data: StoreDataSource<SnapshotStore<SimulatedDisk>>
    private var router: APIRouter
    /// The key simulated API clients send.
    public static let loadKey = "sim-load-key"
    /// The name of the ticker link component the collector's ticker commands go to.
    public static let tickerLinkName = "ticker"
    public private(set) var rowsStored = 0
    private let apiKey: String
    /// Login requests use IDs with the top bit set, so they never collide with the collector's.
    private var loginSequence: UInt64 = 1 << 62

    /// A collector storing under `dataDirectory` on `disk` (by default one that keeps every byte).
    public init(
        config: CollectorConfig, apiKey: String, apiSecret: String, dataDirectory: String = "/data",
        disk: SimulatedDisk = SimulatedDisk()
    ) {
        self.collector = Collector(config: config, client: KiteClient(apiKey: apiKey, apiSecret: apiSecret))
        self.store = SnapshotStore(directory: dataDirectory, fileSystem: disk)
        self.apiKey = apiKey
        let data = StoreDataSource(store: store, indices: config.indices)
        self.data = data
        self.router = APIRouter(
            routes: PlatformAPI.routes(data: data),
            keys: APIKeyStore(records: [APIKeyRecord(id: "load", key: Self.loadKey, scopes: [.read, .stream],
                                                     burst: 1_000_000, requestsPerSecond: 1_000_000)]),
            cors: CORSPolicy(allowedOrigins: []))
    }

    public mutating func start(at now: Instant) -> [WorldEffect] {
        var effects: [WorldEffect] = []
        do {
            for report in try store.open() {
                effects.append(.log(kind: "recovered", fields: [
                    LogField("path", .string(report.path)), LogField("rows", .int(Int64(report.rows))),
                    LogField("cut_bytes", .int(Int64(report.cutBytes))),
                ]))
            }
        } catch {
            storeErrors += 1
            effects.append(.log(kind: "store_error", fields: [LogField("error", .string(error.description))]))
        }
        return effects + translate(collector.handle(.start, at: now), at: now)
    }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        switch input {
        case .timer(let tag):
            guard let timer = Self.timer(tag) else { return [] }
            return translate(collector.handle(.timer(timer), at: now), at: now)
        case .brokerCompleted(let id, let result):
            if id.rawValue >= 1 << 62 { return loginCompleted(result, at: now) }
            return translate(collector.handle(.response(id, result), at: now), at: now)
        case .apiRequest(let from, let id, let request):
            return answer(request, id: id, from: from, at: now)
        case .tickerEvent(let event):
            return translate(collector.handle(.ticker(event), at: now), at: now)
        case .brokerRequest, .apiResponse, .tickerCommand:
            return []
        }
    }

    /// Serves one API request from the store as it is now; the answer reaches the client 1 ms later.
    private mutating func answer(_ request: APIRequest, id: UInt64, from: String, at now: Instant) -> [WorldEffect] {
        let current = store
        data.withStore { $0 = current }
        data.update(contracts: collector.universe)
        let response = router.handle(request, at: now)
        return [
            .log(kind: "api", fields: [
                LogField("from", .string(from)), LogField("path", .string(request.path)),
                LogField("status", .int(Int64(response.status))), LogField("bytes", .int(Int64(response.body.count))),
            ]),
            .deliver(to: from, input: .apiResponse(id: id, response: response), at: now + .milliseconds(1)),
        ]
    }

    static func tag(_ timer: Collector<KiteClient>.Timer) -> UInt64 {
        switch timer {
        case .poll: return 1
        case .discovery: return 2
        case .pace: return 3
        case .tickerReconnect(let connection): return 16 + UInt64(connection)
        }
    }

    static func timer(_ tag: UInt64) -> Collector<KiteClient>.Timer? {
        switch tag {
        case 1: return .poll
        case 2: return .discovery
        case 3: return .pace
        case 16..<32: return .tickerReconnect(Int(tag - 16))
        default: return nil
        }
    }

    private mutating func translate(_ effects: [Collector<KiteClient>.Effect], at now: Instant) -> [WorldEffect] {
        var out: [WorldEffect] = []
        for effect in effects {
            switch effect {
            case .send(let id, let request, let deadline):
                out.append(.deliver(to: "link", input: .brokerRequest(from: name, id: id, request: request, deadline: deadline), at: now))
            case .schedule(let timer, let at):
                out.append(.scheduleTimer(tag: Self.tag(timer), at: at))
            case .needRequestToken:
                loginSequence += 1
                let request = BrokerRequest(method: "GET", path: "/connect/login",
                                            query: [QueryItem("api_key", apiKey), QueryItem("v", "3")])
                out.append(.deliver(to: "link", input: .brokerRequest(from: name, id: RequestID(loginSequence), request: request,
                                                                      deadline: now + .seconds(5)), at: now))
            case .write(let snapshot):
                out.append(write(snapshot))
            case .log(let kind, let fields):
                out.append(.log(kind: kind, fields: fields.map { LogField($0.key, $0.value) }))
            case .ticker(let command):
                out.append(.deliver(to: Self.tickerLinkName, input: .tickerCommand(command), at: now))
            }
        }
        return out
    }

    private mutating func write(_ snapshot: ChainSnapshot) -> WorldEffect {
        do {
            let result = try store.write(snapshot)
            rowsStored += result.rowsWritten
            return .log(kind: "stored", fields: [
                LogField("index", .string(snapshot.index)), LogField("collected_at", .instant(snapshot.collectedAt)),
                LogField("rows_written", .int(Int64(result.rowsWritten))),
                LogField("rows_already_stored", .int(Int64(result.rowsAlreadyStored))),
                LogField("rows_out_of_order", .int(Int64(result.rowsOutOfOrder))),
            ])
        } catch {
            storeErrors += 1
            return .log(kind: "store_error", fields: [LogField("error", .string(error.description))])
        }
    }

    /// The browser's part of the login: follow `/connect/login` and hand over the request token.
    private mutating func loginCompleted(_ result: BrokerResult, at now: Instant) -> [WorldEffect] {
        guard case .success(let response) = result, response.status == 302, let location = response.header("Location"),
              let range = location.range(of: "request_token=")
        else {
            // The login page failed (outage, fault): ask again after a pause, as a user would.
            return [.log(kind: "login_page_failed", fields: [])] + retryLogin(at: now)
        }
        let token = String(location[range.upperBound...].prefix { $0 != "&" })
        return translate(collector.handle(.requestToken(token), at: now), at: now)
    }

    private mutating func retryLogin(at now: Instant) -> [WorldEffect] {
        loginSequence += 1
        let request = BrokerRequest(method: "GET", path: "/connect/login", query: [QueryItem("api_key", apiKey), QueryItem("v", "3")])
        return [.deliver(to: "link", input: .brokerRequest(from: name, id: RequestID(loginSequence), request: request,
                                                            deadline: now + .seconds(6)), at: now + .seconds(1))]
    }
}
