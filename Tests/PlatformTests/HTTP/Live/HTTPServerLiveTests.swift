#if canImport(Glibc)
import Glibc
import Testing

@testable import Platform

/// The one live loopback test per driver: a real server on 127.0.0.1 and real sockets.
@Suite(.serialized) struct HTTPServerLiveTests {
    struct Boom: Error {}

    static func startServer(loops: Int = 2) throws -> HTTPServer {
        var router = Router()
        router.get("/health") { _, _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
        router.post("/echo") { request, _ in HTTPResponse(body: request.body) }
        router.get("/fail") { _, _ in throw Boom() }
        var webSockets = WebSocketRoutes()
        webSockets.add(WebSocketEndpoint(path: "/ws", onMessage: { session, event in
            if case .text(let text) = event { session.send(text: "echo: " + text) }
        }))
        let configuration = HTTPServerConfiguration(port: 0, loopCount: loops, shutdownGracePeriod: .seconds(2))
        return try HTTPServer.start(configuration: configuration, router: router, webSockets: webSockets)
    }

    @Test("the live server answers a pooled client, survives a throwing handler and shuts down gracefully")
    func serverAndClient() throws {
        let server = try Self.startServer()
        let client = HTTPClient(configuration: .init(requestTimeout: .seconds(5)))
        for _ in 0..<20 {
            let response = try client.get("/health", host: "127.0.0.1", port: server.port)
            #expect(response.status.code == 200)
            #expect(response.body == Array(#"{"status":"ok"}"#.utf8))
        }
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
        let echoed = try client.send(HTTPRequest(method: .post, target: "/echo", body: body), host: "127.0.0.1", port: server.port)
        #expect(echoed.body == body)
        #expect(try client.get("/fail", host: "127.0.0.1", port: server.port).status.code == 500)
        #expect(try client.get("/missing", host: "127.0.0.1", port: server.port).status.code == 404)
        #expect(try client.get("/health", host: "127.0.0.1", port: server.port).status.code == 200)
        server.shutdown()
        server.wait()
        #expect(throws: HTTPClientError.self) { try HTTPClient().get("/health", host: "127.0.0.1", port: server.port) }
    }

    @Test("a graceful shutdown lets a request that is half-sent finish, then closes the connection")
    func gracefulShutdown() throws {
        // One loop: once the probe below is answered, the loop has read the earlier half request.
        let server = try Self.startServer(loops: 1)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = try Socket.makeAddress(host: "127.0.0.1", port: server.port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(status == 0)
        let first = Array("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab".utf8)
        _ = first.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        // Make sure the server has read the first half before it is asked to stop.
        #expect(try HTTPClient().get("/health", host: "127.0.0.1", port: server.port).status.code == 200)
        server.shutdown()
        let rest = Array("cd".utf8)
        _ = rest.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var parser = HTTPResponseParser()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var response: HTTPResponse?
        while response == nil {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            try #require(count > 0, "closed before the response")
            parser.append(contentsOf: buffer[0..<count])
            if case .response(let done) = parser.next() { response = done }
        }
        #expect(response?.body == Array("abcd".utf8))
        // Whether the shutdown or the rest of the body reached the loop first, the connection ends
        // after the answer (the Connection: close header itself is covered without sockets).
        let after = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        #expect(after == 0)
        server.wait()
    }

    @Test("10,000 connections opened and closed leave the server serving")
    func manyConnections() throws {
        let server = try Self.startServer()
        var address = try Socket.makeAddress(host: "127.0.0.1", port: server.port)
        for _ in 0..<10_000 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(status == 0)
            // Reset instead of a FIN so the test leaves no TIME_WAIT sockets behind.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(fd)
        }
        #expect(try HTTPClient().get("/health", host: "127.0.0.1", port: server.port).status.code == 200)
        server.shutdown()
        server.wait()
    }

    @Test("a WebSocket client upgrades, gets its message echoed and receives a broadcast")
    func webSocket() throws {
        let server = try Self.startServer()
        defer {
            server.shutdown()
            server.wait()
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = try Socket.makeAddress(host: "127.0.0.1", port: server.port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(status == 0)
        let key = Base64.encode((0..<16).map { UInt8($0) })
        var wire: [UInt8] = []
        WebSocketHandshake.request(host: "127.0.0.1", path: "/ws", key: key).serialize(into: &wire)
        var socketState = WebSocketConnection(role: .client, maskSeed: 42)
        socketState.send(text: "hi", into: &wire)
        _ = wire.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }

        var parser = HTTPResponseParser()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var response: HTTPResponse?
        var events: [WebSocketConnection.Event] = []
        var replies: [UInt8] = []
        var broadcastSent = false
        while events.count < 2 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            try #require(count > 0, "the server closed or timed out")
            if response == nil {
                parser.append(contentsOf: Array(buffer[0..<count]))
                guard case .response(let upgraded) = parser.next() else { continue }
                response = upgraded
                #expect(WebSocketHandshake.isAccepted(upgraded, key: key))
                events += socketState.receive(parser.takeLeftover(), into: &replies)
            } else {
                events += socketState.receive(buffer[0..<count], into: &replies)
            }
            if !events.isEmpty && !broadcastSent {
                server.broadcast(text: "tick", path: "/ws")
                broadcastSent = true
            }
        }
        #expect(events == [.text("echo: hi"), .text("tick")])
    }
}

extension HTTPResponseParser {
    /// The bytes buffered after the last response (test helper for upgrades).
    mutating func takeLeftover() -> [UInt8] {
        var leftover: [UInt8] = []
        while bufferedByteCount > 0 {
            guard case .response = next() else { break }
        }
        leftover = takeRemainingBytes()
        return leftover
    }
}
#endif
