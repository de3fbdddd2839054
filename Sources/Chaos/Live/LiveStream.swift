import Platform
import Synchronization

/// `WS /v1/stream` on the live API: the `StreamHub` protocol over real WebSocket connections.
///
/// Clients authenticate at the upgrade (`X-API-Key` header or `api_key` query parameter, scope
/// `stream`). A publisher thread checks the store once a second and publishes each index's new
/// chain (nearest expiry, ATM ±10) and analytics to its subscribers, with sequence numbers.
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

    public init(data: any PlatformDataSource, indices: [String], keys: APIKeyStore, clock: WallClock) {
        self.state = Mutex(State(hub: StreamHub(knownIndices: indices), keys: keys))
        self.data = data
        self.indices = indices
        self.clock = clock
    }

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
            while state.withLock({ $0.running }) {
                publishNew()
                WallClock.sleep(for: .seconds(1))
            }
        }
        publisher.withLock { $0 = thread }
    }

    public func stop() {
        state.withLock { $0.running = false }
        publisher.withLock { $0 }?.join()
    }

    /// Publishes each index's chain and analytics when a newer snapshot is stored.
    func publishNew() {
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
            if let analytics = try? data.analytics(index: index) {
                apply(state.withLock { $0.hub.publish(channel: "analytics", index: index, data: analytics, at: chain.collectedAt) })
            }
        }
    }
}
