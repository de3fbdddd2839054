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

    public init(
        path: String, onOpen: @escaping @Sendable (WebSocketSession) -> Void = { _ in },
        onMessage: @escaping @Sendable (WebSocketSession, WebSocketConnection.Event) -> Void = { _, _ in },
        onClose: @escaping @Sendable (WebSocketSession) -> Void = { _ in }
    ) {
        self.path = path
        self.onOpen = onOpen
        self.onMessage = onMessage
        self.onClose = onClose
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
