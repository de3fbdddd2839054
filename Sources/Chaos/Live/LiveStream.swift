import Dispatch
import Platform
import Synchronization

/// `WS /v1/stream` on the live API: the `StreamHub` protocol over real WebSocket connections.
///
/// Clients authenticate at the upgrade (`X-API-Key` header or `api_key` query parameter, scope
/// `stream`). A publisher thread publishes each index's new chain (nearest expiry, ATM ±10) and
/// analytics to its subscribers, with sequence numbers: at once when told a snapshot was stored
/// (`snapshotStored()`), and in any case every `publishInterval`.
public final class LiveStream: Sendable {
    struct State {
        var hub: StreamHub
        var remotes: [StreamHub.ConnectionID: WebSocketRemote] = [:]
        var sessions: [ObjectIdentifier: StreamHub.ConnectionID] = [:]
        var nextID: UInt64 = 0
        var lastPublished: [String: String] = [:]
        var keys: APIKeyStore
        var running = true
    }

    private let state: Mutex<State>
    private let data: any PlatformDataSource
    private let indices: [String]
    private let clock: WallClock
    private let publisher = Mutex<WallThread?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private let counters = Mutex<(published: Int, checks: Int)>((0, 0))
    /// The longest the publisher waits between looks at the store.
    public let publishInterval: Duration

    /// A stream over `data`'s `indices`, authorising upgrades with `keys`; `hub` overrides the
    /// default bounds (history 4,096 messages, 4 MiB unread per connection).
    public init(
        data: any PlatformDataSource, indices: [String], keys: APIKeyStore, clock: WallClock,
        publishInterval: Duration = .seconds(1), hub: StreamHub? = nil
    ) {
        precondition(publishInterval > .zero, "publishInterval must be positive, got \(publishInterval)")
        self.state = Mutex(State(hub: hub ?? StreamHub(knownIndices: indices), keys: keys))
        self.data = data
        self.indices = indices
        self.clock = clock
        self.publishInterval = publishInterval
    }

    /// Wakes the publisher: a snapshot was stored, so a new chain may be there to publish.
    public func snapshotStored() { wake.signal() }

    /// The sequence number of the last message published (0 before the first).
    public var lastSequence: UInt64 { state.withLock { $0.hub.lastSequence } }

    /// Chain updates published and looks at the store taken, since start.
    public var counts: (published: Int, checks: Int) { counters.withLock { $0 } }

    /// Open stream connections.
    public var connectionCount: Int { state.withLock { $0.hub.connectionCount } }

    /// The WebSocket endpoint to register on the API server.
    public var endpoint: WebSocketEndpoint {
        WebSocketEndpoint(
            path: "/v1/stream",
            onOpen: { [self] session in
                let remote = session.remote
                let key = ObjectIdentifier(session)
                let effects = state.withLock { state -> [StreamHub.Effect] in
                    state.nextID += 1
                    let id = StreamHub.ConnectionID(state.nextID)
                    state.remotes[id] = remote
                    state.sessions[key] = id
                    return state.hub.connect(id)
                }
                apply(effects)
            },
            onMessage: { [self] session, event in
                guard case .text(let text) = event else { return }
                let key = ObjectIdentifier(session)
                apply(state.withLock { state in
                    guard let id = state.sessions[key] else { return [] }
                    return state.hub.receive(text, from: id)
                })
            },
            onClose: { [self] session in
                let key = ObjectIdentifier(session)
                state.withLock { state in
                    guard let id = state.sessions.removeValue(forKey: key) else { return }
                    state.hub.disconnect(id)
                    state.remotes[id] = nil
                }
            },
            refusal: { [self] request in
                let key = request.headers["X-API-Key"] ?? request.queryValue("api_key")
                let decision = state.withLock { $0.keys.authorize(presentedKey: key, scope: .stream, at: clock.now) }
                guard case .denied(let error) = decision else { return nil }
                return HTTPResponse(status: HTTPStatus(code: error.status), headers: ["Content-Type": "application/json"],
                                    body: error.jsonBody)
            })
    }

    /// Sends the hub's effects on the connections' loops.
    private func apply(_ effects: [StreamHub.Effect]) {
        for effect in effects {
            switch effect {
            case .send(let id, let text):
                guard let remote = state.withLock({ $0.remotes[id] }) else { continue }
                if remote.send(text: text) {
                    state.withLock { $0.hub.acknowledge(id, bytes: text.utf8.count) }
                }
            case .close(let id, let code, let reason):
                let remote = state.withLock { $0.remotes.removeValue(forKey: id) }
                remote?.close(code: code, reason: reason)
            }
        }
    }

    /// Starts the publisher thread.
    public func start() {
        let thread = WallClock.spawn { [self] in
            let (seconds, attoseconds) = publishInterval.components
            let interval = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
            while state.withLock({ $0.running }) {
                publishNew()
                _ = wake.wait(timeout: .now() + interval)
            }
        }
        publisher.withLock { $0 = thread }
    }

    public func stop() {
        state.withLock { $0.running = false }
        wake.signal()
        publisher.withLock { $0 }?.join()
    }

    /// Publishes each index's chain and analytics when a newer snapshot is stored.
    func publishNew() {
        counters.withLock { $0.checks += 1 }
        for index in indices {
            guard let chain = try? data.chain(index: index, expiry: nil, bucket: nil, strikes: 10) else { continue }
            let stamp = chain.collectedAt.description
            let isNew = state.withLock { state -> Bool in
                guard state.lastPublished[index] != stamp else { return false }
                state.lastPublished[index] = stamp
                return true
            }
            guard isNew else { continue }
            let chainBody = PlatformAPI.chainJSON(chain)
            apply(state.withLock { $0.hub.publish(channel: "chain", index: index, data: chainBody, at: chain.collectedAt) })
            counters.withLock { $0.published += 1 }
            if let analytics = try? data.analytics(index: index) {
                apply(state.withLock { $0.hub.publish(channel: "analytics", index: index, data: analytics, at: chain.collectedAt) })
            }
        }
    }
}
