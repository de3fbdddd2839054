import Testing

@testable import Platform

@Suite struct HTTPServerConnectionTests {
    static let start = Instant(secondsSinceEpoch: 1_000)

    static func connection(timeouts: HTTPServerConnection.Timeouts = .init()) -> HTTPServerConnection {
        var router = Router()
        router.get("/a") { _, _ in .text("A") }
        router.post("/echo") { request, _ in HTTPResponse(body: request.body) }
        router.get("/fail") { _, _ in throw HTTPError(.internalServerError, type: "boom", message: "handler failed") }
        return HTTPServerConnection(router: router, timeouts: timeouts, now: start, upgradeAccepts: { $0.path == "/ws" })
    }

    /// Every response in `bytes`, parsed.
    static func responses(_ bytes: [UInt8]) -> [HTTPResponse] {
        var parser = HTTPResponseParser()
        parser.append(contentsOf: bytes)
        var out: [HTTPResponse] = []
        while case .response(let response) = parser.next() { out.append(response) }
        return out
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("pipelined requests are answered in order in one call")
    func pipelining() {
        var connection = Self.connection()
        var out: [UInt8] = []
        let action = connection.received(
            Self.bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhiGET /missing HTTP/1.1\r\nHost: h\r\n\r\n"),
            now: Self.start, into: &out)
        #expect(action == .continue)
        let responses = Self.responses(out)
        #expect(responses.map(\.status.code) == [200, 200, 404])
        #expect(responses[1].body == Self.bytes("hi"))
        #expect(connection.requestsServed == 3)
    }

    @Test("a handler that throws gets a 500 and the connection keeps serving")
    func handlerThrows() {
        var connection = Self.connection()
        var out: [UInt8] = []
        _ = connection.received(Self.bytes("GET /fail HTTP/1.1\r\nHost: h\r\n\r\nGET /a HTTP/1.1\r\nHost: h\r\n\r\n"), now: Self.start, into: &out)
        #expect(Self.responses(out).map(\.status.code) == [500, 200])
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() {
        var connection = Self.connection()
        var out: [UInt8] = []
        _ = connection.received(Self.bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"), now: Self.start, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        out = []
        _ = connection.received(Self.bytes("abc"), now: Self.start, into: &out)
        #expect(Self.responses(out).first?.body == Self.bytes("abc"))
    }

    @Test("a malformed request is answered with its status and the connection closes")
    func malformedCloses() {
        var connection = Self.connection()
        var out: [UInt8] = []
        #expect(connection.received(Self.bytes("GET / HTTP/1.1\r\n\r\n"), now: Self.start, into: &out) == .closeAfterWrite)
        let response = Self.responses(out).first
        #expect(response?.status.code == 400)
        #expect(response?.headers["Connection"] == "close")
    }

    @Test("a client sending one byte per second is cut off with 408 at the header deadline")
    func slowloris() {
        var connection = Self.connection(timeouts: .init(idle: .seconds(60), header: .seconds(10), request: .seconds(30)))
        var out: [UInt8] = []
        var now = Self.start
        let request = Self.bytes("GET /a HTTP/1.1\r\nHost: h\r\nX-Slow: 1234567890\r\n\r\n")
        var sent = 0
        while sent < request.count {
            now = now + .seconds(1)
            if now >= connection.deadline {
                #expect(connection.timedOut(now: now, into: &out) == .closeAfterWrite)
                break
            }
            _ = connection.received(request[sent..<sent + 1], now: now, into: &out)
            sent += 1
        }
        #expect(sent < request.count)
        #expect(Self.responses(out).map(\.status.code) == [408])
        #expect(now - Self.start <= .seconds(12))
    }

    @Test("an idle keep-alive connection expires after the idle timeout without a response")
    func idleTimeout() {
        var connection = Self.connection(timeouts: .init(idle: .seconds(5)))
        var out: [UInt8] = []
        _ = connection.received(Self.bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"), now: Self.start, into: &out)
        #expect(connection.isIdle)
        #expect(connection.deadline == Self.start + .seconds(5))
        out = []
        #expect(connection.timedOut(now: connection.deadline, into: &out) == .closeAfterWrite)
        #expect(out.isEmpty)
    }

    @Test("graceful shutdown closes an idle connection at once and finishes one mid-request")
    func shutdown() {
        var idle = Self.connection()
        var out: [UInt8] = []
        #expect(idle.beginShutdown(into: &out) == .closeAfterWrite)
        var busy = Self.connection()
        _ = busy.received(Self.bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"), now: Self.start, into: &out)
        #expect(busy.beginShutdown(into: &out) == .continue)
        #expect(busy.received(Self.bytes("cd"), now: Self.start, into: &out) == .closeAfterWrite)
        let response = Self.responses(out).first
        #expect(response?.body == Self.bytes("abcd"))
        #expect(response?.headers["Connection"] == "close")
    }

    @Test("a WebSocket upgrade on an accepted path gets 101 and hands over the following bytes")
    func upgrade() {
        var connection = Self.connection()
        var out: [UInt8] = []
        let upgrade = WebSocketHandshake.request(host: "h", path: "/ws", key: "dGhlIHNhbXBsZSBub25jZQ==")
        var wire: [UInt8] = []
        upgrade.serialize(into: &wire)
        let action = connection.received(wire + [0x81], now: Self.start, into: &out)
        guard case .upgrade(let request, let leftover) = action else { Issue.record("no upgrade: \(action)"); return }
        #expect(request.path == "/ws")
        #expect(leftover == [0x81])
        let response = Self.responses(out).first
        #expect(response?.status.code == 101)
        #expect(response?.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        var other = Self.connection()
        var refused: [UInt8] = []
        var otherWire: [UInt8] = []
        WebSocketHandshake.request(host: "h", path: "/nope", key: "dGhlIHNhbXBsZSBub25jZQ==").serialize(into: &otherWire)
        #expect(other.received(otherWire, now: Self.start, into: &refused) == .closeAfterWrite)
        #expect(Self.responses(refused).first?.status.code == 404)
    }

    @Test("a burst of pipelined requests cannot make the output grow past the high-water mark")
    func outputBound() {
        var router = Router()
        let big = HTTPResponse(body: [UInt8](repeating: 0x61, count: 20_000))
        router.get("/big") { _, _ in big }
        var connection = HTTPServerConnection(router: router, now: Self.start)
        connection.outputBytesHighWater = 64 * 1024
        let request = Self.bytes("GET /big HTTP/1.1\r\nHost: h\r\n\r\n")
        var out: [UInt8] = []
        _ = connection.received(Array(repeating: request, count: 100).joined(), now: Self.start, into: &out)
        var answered = Self.responses(out).count
        #expect(out.count < 64 * 1024 + 20_100)
        #expect(connection.hasPendingInput)
        while connection.hasPendingInput {
            out = []  // the driver wrote everything
            _ = connection.resume(now: Self.start, into: &out)
            #expect(out.count < 64 * 1024 + 20_100)
            answered += Self.responses(out).count
        }
        #expect(answered == 100)
    }
}
