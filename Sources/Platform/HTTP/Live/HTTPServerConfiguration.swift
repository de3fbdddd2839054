/// How a live `HTTPServer` listens, how many loops it runs, and the bounds it enforces.
public struct HTTPServerConfiguration: Sendable {
    /// IPv4 address to bind; loopback by default. Binding elsewhere must be asked for explicitly.
    public var host: String
    /// TCP port; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port: Int
    /// Event loops (threads), each with its own SO_REUSEPORT listener; default: one per core.
    public var loopCount: Int
    /// Listen backlog per loop.
    public var backlog: Int32
    public var limits: HTTPParserLimits
    public var timeouts: HTTPServerConnection.Timeouts
    /// How long a graceful shutdown waits for in-flight requests before closing everything.
    public var shutdownGracePeriod: Duration
    /// Unsent bytes one connection may hold; past it, reading from that peer pauses (HTTP) or the
    /// peer is dropped (WebSocket).
    public var outboundBytesMax: Int
    /// Open connections per loop; further connections are closed on accept.
    public var connectionsPerLoopMax: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, loopCount: Int = HTTPServerConfiguration.coreCount,
        backlog: Int32 = 4096, limits: HTTPParserLimits = .standard,
        timeouts: HTTPServerConnection.Timeouts = .init(), shutdownGracePeriod: Duration = .seconds(10),
        outboundBytesMax: Int = 4 << 20, connectionsPerLoopMax: Int = 20_000
    ) {
        precondition(loopCount >= 1, "loopCount \(loopCount) < 1")
        self.host = host
        self.port = port
        self.loopCount = loopCount
        self.backlog = backlog
        self.limits = limits
        self.timeouts = timeouts
        self.shutdownGracePeriod = shutdownGracePeriod
        self.outboundBytesMax = outboundBytesMax
        self.connectionsPerLoopMax = connectionsPerLoopMax
    }

    /// Processors available to this process.
    public static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
