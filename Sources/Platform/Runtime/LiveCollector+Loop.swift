#if canImport(Glibc)
import Glibc

/// Everything the loop thread owns; no other thread touches it after `start()`.
final class LiveLoopState {
    typealias Timer = Collector<KiteClient>.Timer

    var collector: Collector<KiteClient>
    var store: SnapshotStore<PosixFileSystem>
    /// Pending timers as a binary min-heap ordered by (instant, sequence).
    var timers: [(at: Instant, sequence: UInt64, timer: Timer)] = []
    var timerSequence: UInt64 = 0
    /// Requests in flight and their deadlines; a response for an ID not here is late and dropped.
    var pending: [RequestID: Instant] = [:]
    /// Login requests use IDs with the top bit set, so they never collide with the collector's.
    var loginSequence: UInt64 = 1 << 62
    var loginFailures = 0
    /// Logins asked for since the collector last reached `collecting`; a broker that keeps
    /// refusing the session (wrong key or secret) ends the run instead of spinning.
    var loginAttempts = 0
    var loginRetryAt: Instant?
    /// Set once a stop was asked for: the instant by which the open cycle is closed regardless.
    var drainDeadline: Instant?
    var fatal: String?
    /// The latest instant handed to the collector: inputs never go back in time.
    var lastInput = Instant.epoch
    var snapshotsStored = 0
    var rowsStored = 0
    var storeErrors = 0
    var lastStoreError: String?
    var lastWriteAt: Instant?
    var lastError: String?

    init(collector: Collector<KiteClient>, store: SnapshotStore<PosixFileSystem>) {
        self.collector = collector
        self.store = store
    }

    func pushTimer(_ timer: Timer, at instant: Instant) {
        timerSequence += 1
        timers.append((instant, timerSequence, timer))
        var child = timers.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(timers[child], timers[parent]) else { break }
            timers.swapAt(child, parent)
            child = parent
        }
    }

    func popTimer() -> (at: Instant, sequence: UInt64, timer: Timer) {
        let top = timers[0]
        let last = timers.removeLast()
        if !timers.isEmpty {
            timers[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < timers.count, Self.precedes(timers[left], timers[smallest]) { smallest = left }
                if right < timers.count, Self.precedes(timers[right], timers[smallest]) { smallest = right }
                if smallest == parent { break }
                timers.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }

    static func precedes(_ a: (at: Instant, sequence: UInt64, timer: Timer), _ b: (at: Instant, sequence: UInt64, timer: Timer)) -> Bool {
        (a.at, a.sequence) < (b.at, b.sequence)
    }

    var phaseName: String {
        if drainDeadline != nil { return "draining" }
        switch collector.phase {
        case .needsLogin: return "needs_login"
        case .loggingIn: return "logging_in"
        case .discovering: return "discovering"
        case .collecting: return "collecting"
        }
    }

    func status(at now: Instant, phase: String? = nil) -> LiveCollectorStatus {
        let storeStatus: HealthStatus = lastStoreError.map { .degraded(reason: "last write failed: \($0)") } ?? .ok
        return LiveCollectorStatus(
            at: now, phase: phase ?? phaseName,
            health: HealthReport(at: now, components: [
                collector.health(at: now), ComponentHealth(name: "store", status: storeStatus, lastSuccess: lastWriteAt),
            ]),
            metrics: collector.metrics, store: store.metrics, snapshotsStored: snapshotsStored, rowsStored: rowsStored,
            storeErrors: storeErrors, lastError: lastError,
            ticker: collector.config.indices.contains { $0.source == .ticker } ? collector.tickerMetrics : nil)
    }
}

extension LiveCollector {
    /// The loop: deliver due inputs to the collector, carry out its effects, wait for the next one.
    func runLoop() {
        let state = loop.value
        let clock = options.clock
        apply(state.collector.handle(.start, at: clock.now), state, at: clock.now)
        while true {
            var now = max(clock.now, state.lastInput)  // a wall-clock step back must not reach the collector
            let events = shared.withLock { shared -> [LiveEvent] in
                defer { shared.inbox.removeAll(keepingCapacity: true) }
                return shared.inbox
            }
            for event in events {
                switch event {
                case .stop:
                    if state.drainDeadline == nil {
                        state.drainDeadline = now + options.config.pollInterval + options.config.requestTimeout
                    }
                case .response(let id, let result):
                    guard state.pending.removeValue(forKey: id) != nil else { continue }
                    deliver(id, result, state, at: now)
                case .ticker(let event):
                    apply(state.collector.handle(.ticker(event), at: now), state, at: now)
                }
            }
            for (id, deadline) in state.pending.sorted(by: { $0.key < $1.key }) where deadline <= now {
                state.pending[id] = nil
                let waited = options.config.requestTimeout.wholeNanoseconds / 1_000_000
                deliver(id, .failure(.timeout(afterMilliseconds: waited)), state, at: now)
            }
            while let first = state.timers.first, first.at <= now {
                let fired = state.popTimer()
                if state.drainDeadline != nil && fired.timer != .pace { continue }
                // A timer runs at its own instant when it is handled promptly, so snapshots are
                // stamped on the poll grid (09:20:01.000), not a millisecond after it.
                let at = max(state.lastInput, now - fired.at < .milliseconds(50) ? fired.at : now)
                apply(state.collector.handle(.timer(fired.timer), at: at), state, at: at)
                now = max(now, clock.now, state.lastInput)
            }
            if let retry = state.loginRetryAt, retry <= now, state.drainDeadline == nil {
                state.loginRetryAt = nil
                sendLogin(state, at: now)
            }
            if let deadline = state.drainDeadline {
                if state.collector.cycle != nil && now >= deadline {
                    apply(state.collector.finalize(at: now, reason: "shutdown"), state, at: now)
                }
                if state.collector.cycle == nil {
                    finish(state, outcome: .stopped, at: now)
                    return
                }
            }
            if state.collector.phase == .collecting { state.loginAttempts = 0 }
            if let message = state.fatal {
                finish(state, outcome: .failed(message), at: now)
                return
            }
            publish(state, at: now)
            var wake = now + .seconds(1)
            if let first = state.timers.first { wake = min(wake, first.at) }
            for deadline in state.pending.values { wake = min(wake, deadline) }
            if let retry = state.loginRetryAt { wake = min(wake, retry) }
            if let deadline = state.drainDeadline { wake = min(wake, deadline) }
            waitForWake(until: wake, clock: clock)
        }
    }

    private func deliver(_ id: RequestID, _ result: Result<BrokerResponse, TransportFailure>, _ state: LiveLoopState, at now: Instant) {
        if id.rawValue >= 1 << 62 {
            loginCompleted(result, state, at: now)
        } else {
            apply(state.collector.handle(.response(id, result), at: now), state, at: now)
        }
    }

    private func apply(_ effects: [Collector<KiteClient>.Effect], _ state: LiveLoopState, at now: Instant) {
        state.lastInput = max(state.lastInput, now)
        for effect in effects {
            switch effect {
            case .send(let id, let request, let deadline):
                state.pending[id] = deadline
                enqueue(.send(id, request, deadline: deadline))
            case .schedule(let timer, let at):
                state.pushTimer(timer, at: at)
            case .needRequestToken:
                switch options.credentials {
                case .apiSecret:
                    state.loginAttempts += 1
                    if state.loginAttempts > LiveCollector.loginAttemptsMax {
                        state.fatal = "the broker refused \(LiveCollector.loginAttemptsMax) logins in a row "
                            + "(\(state.lastError ?? "no reason given")); check --api-key and --api-secret"
                    } else if state.loginAttempts == 1 {
                        sendLogin(state, at: now)
                    } else {
                        state.loginRetryAt = now + .milliseconds(250 << min(state.loginAttempts - 2, 6))
                    }
                case .accessToken:
                    state.fatal = "the broker rejected the access token (\(state.lastError ?? "no session")); "
                        + "it has expired (Kite's expire at 06:00 IST) or is wrong: get a new one and restart with "
                        + "--access-token, or give --api-secret to log in to opsim's broker automatically"
                }
            case .write(let snapshot):
                write(snapshot, state, at: now)
            case .log(let kind, let fields):
                if let error = fields.first(where: { $0.key == "error" }), case .string(let text) = error.value {
                    state.lastError = "\(kind): \(text)"
                }
                options.log?(kind, fields)
            case .ticker(let command):
                tickerCommand(command)
            }
        }
    }

    private func write(_ snapshot: ChainSnapshot, _ state: LiveLoopState, at now: Instant) {
        do {
            let result = try state.store.write(snapshot)
            state.rowsStored += result.rowsWritten
            if result.rowsWritten > 0 { state.snapshotsStored += 1 }
            state.lastWriteAt = now
            state.lastStoreError = nil
            shared.withLock { $0.latest[snapshot.index] = snapshot }
            // After the write: a reader told of the snapshot by this line finds its rows in the file.
            options.log?("snapshot_stored", [
                CollectorLogField(key: "index", value: .string(snapshot.index)),
                CollectorLogField(key: "collected_at", value: .instant(snapshot.collectedAt)),
                CollectorLogField(key: "rows", value: .int(Int64(result.rowsWritten))),
            ])
        } catch {
            state.storeErrors += 1
            state.lastStoreError = error.description
            state.lastError = "store: \(error.description)"
            options.log?("store_error", [CollectorLogField(key: "error", value: .string(error.description))])
        }
    }

    /// Plays the browser: `GET /connect/login?api_key=…&v=3`, expecting a redirect with a request token.
    private func sendLogin(_ state: LiveLoopState, at now: Instant) {
        state.loginSequence += 1
        let id = RequestID(state.loginSequence)
        let deadline = now + options.config.requestTimeout * 2
        state.pending[id] = deadline
        enqueue(.send(id, BrokerRequest(method: "GET", path: "/connect/login",
                                        query: [QueryItem("api_key", options.apiKey), QueryItem("v", "3")]),
                      deadline: deadline))
    }

    private func loginCompleted(_ result: Result<BrokerResponse, TransportFailure>, _ state: LiveLoopState, at now: Instant) {
        switch result {
        case .failure(let failure):
            // The broker is unreachable: try again with capped exponential backoff, as a user would.
            state.loginFailures += 1
            state.lastError = "login: \(failure.description)"
            let seconds = min(30, 1 << min(state.loginFailures - 1, 5))
            state.loginRetryAt = now + .seconds(seconds)
            options.log?("login_page_failed", [CollectorLogField(key: "error", value: .string(failure.description))])
        case .success(let response):
            guard response.status == 302 || response.status == 303, let location = response.header("Location"),
                  let token = Self.requestToken(inRedirect: location)
            else {
                state.fatal = "the broker answered GET /connect/login with HTTP \(response.status) and no redirect carrying "
                    + "a request_token: automatic login works only against opsim's broker; log in through the "
                    + "broker's web flow and restart with --access-token"
                return
            }
            state.loginFailures = 0
            apply(state.collector.handle(.requestToken(token), at: now), state, at: now)
        }
    }

    /// Consecutive logins the broker may refuse before the collector gives up.
    static let loginAttemptsMax = 4

    /// The `request_token` query value of a redirect target, if present and non-empty.
    static func requestToken(inRedirect location: String) -> String? {
        let query = location.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        for pair in query.split(separator: "&") where pair.hasPrefix("request_token=") {
            let value = pair.dropFirst("request_token=".count)
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    private func publish(_ state: LiveLoopState, at now: Instant) {
        let status = state.status(at: now)
        shared.withLock { $0.status = status }
    }

    private func finish(_ state: LiveLoopState, outcome: LiveCollectorOutcome, at now: Instant) {
        var result = outcome
        do {
            try state.store.syncAll()
        } catch {
            if case .stopped = result { result = .failed("the final fsync failed: \(error.description)") }
        }
        let status = state.status(at: now, phase: "stopped")
        shared.withLock {
            $0.status = status
            $0.outcome = result
        }
        closeTickers()
        for _ in 0..<options.workers { enqueue(.quit) }
    }

    /// Waits on the wake pipe until `instant` or until another thread posts an event.
    private func waitForWake(until instant: Instant, clock: WallClock) {
        let remaining = clock.realDuration(of: instant - clock.now)
        guard remaining > .zero else { return }
        let milliseconds = Int32(clamping: (remaining.wholeNanoseconds + 999_999) / 1_000_000)
        var descriptor = pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, milliseconds) > 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while buffer.withUnsafeMutableBytes({ read(wakePipe.read, $0.baseAddress, 64) }) > 0 {}
        }
    }
}
#endif
