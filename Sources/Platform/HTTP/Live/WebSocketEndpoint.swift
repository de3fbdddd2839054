/// What the live server does with WebSocket connections on one path.
///
/// Callbacks run on the connection's event loop thread; keep them short. `WebSocketSession`
/// sends on that connection; `HTTPServer.broadcast` sends to every connection on a path.
public struct WebSocketEndpoint: Sendable {
    public var path: String
    public var onOpen: @Sendable (WebSocketSession) -> Void
    /// Called for `.text` and `.binary` messages (pings are answered automatically).
    public var onMessage: @Sendable (WebSocketSession, WebSocketConnection.Event) -> Void
    public var onClose: @Sendable (WebSocketSession) -> Void
    /// Decides before the `101`: nil accepts the upgrade, a response refuses it (sent, then the
    /// connection closes), e.g. 403 for bad credentials. Runs on the loop thread; keep it short.
    public var refusal: @Sendable (HTTPRequest) -> HTTPResponse?

    public init(
        path: String, onOpen: @escaping @Sendable (WebSocketSession) -> Void = { _ in },
        onMessage: @escaping @Sendable (WebSocketSession, WebSocketConnection.Event) -> Void = { _, _ in },
        onClose: @escaping @Sendable (WebSocketSession) -> Void = { _ in },
        refusal: @escaping @Sendable (HTTPRequest) -> HTTPResponse? = { _ in nil }
    ) {
        self.path = path
        self.onOpen = onOpen
        self.onMessage = onMessage
        self.onClose = onClose
        self.refusal = refusal
    }
}

/// The WebSocket endpoints of a server, matched by exact path.
public struct WebSocketRoutes: Sendable {
    public private(set) var endpoints: [WebSocketEndpoint] = []

    public init(_ endpoints: [WebSocketEndpoint] = []) { self.endpoints = endpoints }

    public mutating func add(_ endpoint: WebSocketEndpoint) { endpoints.append(endpoint) }

    /// The endpoint serving `path`, or nil.
    public func route(for path: String) -> WebSocketEndpoint? { endpoints.first { $0.path == path } }
}
