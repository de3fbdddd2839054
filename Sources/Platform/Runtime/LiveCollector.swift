#if canImport(Glibc)
import Glibc
import Synchronization

/// How the live collector proves who it is to the broker.
public enum BrokerCredentials: Sendable, Equatable {
    /// An access token from the broker's login flow. When the broker rejects it (Kite's expire at
    /// 06:00 IST) the collector cannot log in again by itself and stops with a message.
    case accessToken(String)
    /// The API secret: the collector logs in itself by playing the browser on
    /// `GET /connect/login` (opsim's mock broker redirects at once with a request token).
    case apiSecret(String)
}

/// What a live collector collects, from where, and where it stores it.
public struct LiveCollectorOptions: Sendable {
    /// What to collect and how fast (use `pacingMargin` > 0 live, so network jitter cannot bunch requests).
    public var config: CollectorConfig
    /// The broker API key.
    public var apiKey: String
    public var credentials: BrokerCredentials
    /// The store's data directory (locked with flock while the collector runs).
    public var directory: String
    /// Fsync after this many snapshots per file (1: every snapshot).
    public var syncEverySnapshots: Int
    /// The clock the collector runs on; shifted to follow a broker on a simulated session.
    public var clock: WallClock
    /// Threads sending requests; more than one lets a slow response not delay the next batch.
    public var workers: Int
    /// Receives every collector log line (kind, fields) on the collector's thread; keep it fast.
    /// `snapshot_stored` (index, collected_at, rows) comes after a snapshot's rows are in the file.
    public var log: (@Sendable (String, [CollectorLogField]) -> Void)?
    /// Path of the ticker WebSocket on the broker's host and port, for indices with `source: .ticker`
    /// (opsim's broker serves it at `/ws`; Kite's is `wss://ws.kite.trade`, reachable through a TLS proxy).
    public var tickerPath = "/ws"

    public init(
        config: CollectorConfig, apiKey: String, credentials: BrokerCredentials, directory: String,
        syncEverySnapshots: Int = 1, clock: WallClock = WallClock(), workers: Int = 4,
        log: (@Sendable (String, [CollectorLogField]) -> Void)? = nil
    ) {
        precondition((1...64).contains(workers), "workers must be 1...64, got \(workers)")
        self.config = config
        self.apiKey = apiKey
        self.credentials = credentials
        self.directory = directory
        self.syncEverySnapshots = syncEverySnapshots
        self.clock = clock
        self.workers = workers
        self.log = log
    }
}

/// A consistent picture of a running live collector, published after every event it handles.
public struct LiveCollectorStatus: Sendable, Equatable {
    /// When this picture was taken (the collector's clock).
    public var at: Instant
    /// `needs_login`, `logging_in`, `discovering`, `collecting`, `draining` or `stopped`.
    public var phase: String
    /// Collector and store health at `at`.
    public var health: HealthReport
    public var metrics: CollectorMetrics
    public var store: StoreMetrics
    /// Snapshots and rows the store accepted (rows already stored before a restart are not counted).
    public var snapshotsStored: Int
    public var rowsStored: Int
    public var storeErrors: Int
    /// The latest error any part reported, for the status line.
    public var lastError: String?
    /// The ticker source's counters; nil when every index polls REST.
    public var ticker: TickerMetrics?
}

/// How a live collector ended.
public enum LiveCollectorOutcome: Sendable, Equatable {
    /// Stopped on request: the open cycle was finished and every file fsynced.
    case stopped
    /// Stopped because it cannot go on (the message says what to do); files were fsynced.
    case failed(String)
}

/// The collector running live: the `Collector` state machine on one thread with real time,
/// requests over HTTP, snapshots into a `SnapshotStore` on POSIX files.
///
/// How this works: `init` locks the data directory and recovers its files (so a second
/// collector on the same directory fails there, at once). `start()` runs the loop thread: it
/// keeps the collector's timers in a heap, hands each request to a small pool of worker threads
/// that send it with `HTTPBrokerTransport`, and feeds responses back as `.response` inputs (a
/// request past its deadline is answered with a timeout by the loop itself). `stop()` stops new
/// cycles, lets the open one finish (or closes it once its batches' deadlines pass), fsyncs every
/// file and ends the loop. `status()`, `health()` and `latestSnapshot(index:)` are safe from any
/// thread.
///
/// ```swift
/// let live = try LiveCollector(broker: BrokerURL(parsing: "http://127.0.0.1:8080"), options: options)
/// live.start()
/// // … later, from a signal handler thread:
/// live.stop()
/// let outcome = live.wait()
/// ```
public final class LiveCollector: Sendable {
    /// What recovery found in the data directory's files at start (torn tails cut, rows kept).
    public let recoveries: [FileRecovery]
    /// The broker the collector talks to.
    public let broker: BrokerURL
    let options: LiveCollectorOptions
    let transport: HTTPBrokerTransport
    let shared: Mutex<Shared>
    let jobs = Mutex<[LiveJob]>([])
    let wakePipe: (read: Int32, write: Int32)
    let jobPipe: (read: Int32, write: Int32)
    let loop: UncheckedTransfer<LiveLoopState>
    private let threads = Mutex<[LiveThread]>([])
    /// Open ticker sockets by the collector's connection number (see `LiveCollector+Ticker.swift`).
    let tickers = Mutex<[Int: LiveTickerSocket]>([:])

    struct Shared {
        var inbox: [LiveEvent] = []
        var status: LiveCollectorStatus
        var latest: [String: ChainSnapshot] = [:]
        var outcome: LiveCollectorOutcome?
        var started = false
    }

    /// Locks `options.directory`, recovers its files and prepares the collector; nothing is sent yet.
    ///
    /// Throws the store's error when the directory is locked by another collector (`.fileSystem(.locked)`),
    /// or a file is corrupt or not the store's.
    public init(broker: BrokerURL, options: LiveCollectorOptions) throws(StoreError) {
        var store = SnapshotStore(directory: options.directory, fileSystem: PosixFileSystem(),
                                  syncEverySnapshots: options.syncEverySnapshots)
        recoveries = try store.open()
        self.broker = broker
        self.options = options
        transport = HTTPBrokerTransport(url: broker, timeout: options.config.requestTimeout * 5)
        let now = options.clock.now
        var session: BrokerSession?
        var secret = ""
        switch options.credentials {
        case .accessToken(let token):
            session = BrokerSession(userID: "", accessToken: token, loginTime: now, expiresAt: BrokerSession.expiry(afterLogin: now))
        case .apiSecret(let value):
            secret = value
        }
        let collector = Collector(config: options.config,
                                  client: KiteClient(apiKey: options.apiKey, apiSecret: secret, session: session))
        let state = LiveLoopState(collector: collector, store: store)
        shared = Mutex(Shared(status: state.status(at: now, phase: "starting")))
        loop = UncheckedTransfer(state)
        wakePipe = LiveCollector.makePipe(nonBlockingRead: true)
        jobPipe = LiveCollector.makePipe(nonBlockingRead: false)
    }

    deinit {
        for fd in [wakePipe.read, wakePipe.write, jobPipe.read, jobPipe.write] { close(fd) }
    }

    /// Starts the loop and worker threads (once).
    public func start() {
        let first = shared.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        var spawned = [LiveThread.spawn { [self] in runLoop() }]
        for _ in 0..<options.workers { spawned.append(LiveThread.spawn { [self] in runWorker() }) }
        threads.withLock { $0 = spawned }
    }

    /// Asks the collector to stop gracefully; returns at once (see `wait`).
    public func stop() { post(.stop) }

    /// Blocks until the loop has ended and the workers have exited; returns how it ended.
    public func wait() -> LiveCollectorOutcome {
        let all = threads.withLock { list -> [LiveThread] in
            defer { list = [] }
            return list
        }
        for thread in all { thread.join() }
        closeTickers()
        return shared.withLock { $0.outcome } ?? .stopped
    }

    /// The outcome once the loop has ended, nil while it runs.
    public var outcome: LiveCollectorOutcome? { shared.withLock { $0.outcome } }

    /// The latest published status (counters, health, last error).
    public func status() -> LiveCollectorStatus { shared.withLock { $0.status } }

    /// Collector and store health as last published.
    public func health() -> HealthReport { status().health }

    /// The latest snapshot stored for `index` (e.g. `NIFTY`) by this process, if any.
    public func latestSnapshot(index: String) -> ChainSnapshot? { shared.withLock { $0.latest[index] } }

    func post(_ event: LiveEvent) {
        shared.withLock { $0.inbox.append(event) }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
    }

    func enqueue(_ job: LiveJob) {
        jobs.withLock { $0.append(job) }
        var byte: UInt8 = 1
        while write(jobPipe.write, &byte, 1) < 0 && errno == EINTR {}
    }

    /// A worker: takes one job per byte on the job pipe, sends it, posts the result.
    func runWorker() {
        var byte: UInt8 = 0
        while true {
            let count = read(jobPipe.read, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1, let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return }
            guard case .send(let id, let request, let deadline) = job else { return }
            if options.clock.now >= deadline { continue }  // the loop has already timed it out
            post(.response(id, transport.exchange(request)))
        }
    }

    static func makePipe(nonBlockingRead: Bool) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        let status = pipe(&fds)
        precondition(status == 0, "pipe failed: errno \(errno)")
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        if nonBlockingRead {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
        return (fds[0], fds[1])
    }
}

/// Something that reaches the loop from another thread.
enum LiveEvent: Sendable {
    case response(RequestID, Result<BrokerResponse, TransportFailure>)
    /// Something happened on a ticker connection (from its reader thread).
    case ticker(TickerEvent)
    case stop
}

/// Work for the sender threads.
enum LiveJob: Sendable {
    case send(RequestID, BrokerRequest, deadline: Instant)
    case quit
}
#endif
