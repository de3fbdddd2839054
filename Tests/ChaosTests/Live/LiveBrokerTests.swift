#if canImport(Glibc)
import Chaos
import Glibc
import Testing

import Platform

/// The live broker over real loopback sockets: login → session → quote → ticker frames, no Python needed.
@Suite(.serialized) struct LiveBrokerTests {
    static let apiKey = "live_key"
    static let apiSecret = "live_secret"
    static let start = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 10, minute: 0)

    static func startBroker() throws -> LiveBroker {
        try LiveBroker.start(
            port: 0, seed: 7, at: start, speed: 60, apiKey: apiKey, apiSecret: apiSecret, indices: ["NIFTY"])
    }

    /// Plays the browser login and trades the request token for an access token.
    static func accessToken(_ live: LiveBroker, client: HTTPClient) throws -> String {
        let login = try client.get("/connect/login?api_key=\(apiKey)&v=3", host: "127.0.0.1", port: live.port)
        #expect(login.status.code == 302)
        let location = try #require(login.headers["Location"])
        #expect(location.hasPrefix("http://127.0.0.1/callback?"))
        #expect(location.contains("action=login") && location.contains("status=success"))
        let range = try #require(location.range(of: "request_token="))
        let requestToken = String(location[range.upperBound...].prefix { $0 != "&" })
        let checksum = SHA256.hash(Array((apiKey + requestToken + apiSecret).utf8)).hexString
        let form = "api_key=\(apiKey)&request_token=\(requestToken)&checksum=\(checksum)"
        let session = try client.send(
            HTTPRequest(method: .post, target: "/session/token",
                        headers: ["X-Kite-Version": "3", "Content-Type": "application/x-www-form-urlencoded"],
                        body: Array(form.utf8)),
            host: "127.0.0.1", port: live.port)
        #expect(session.status.code == 200)
        let json = try JSONParser.parse(session.body)
        #expect(json["data"]?["login_time"] != nil, "the official client needs login_time")
        guard case .string(let token)? = json["data"]?["access_token"] else {
            Issue.record("no access_token in \(String(decoding: session.body, as: UTF8.self))")
            throw LiveTestError.unexpected
        }
        return token
    }

    static func authorized(_ apiKey: String, _ token: String) -> HTTPHeaders {
        ["X-Kite-Version": "3", "Authorization": "token \(apiKey):\(token)"]
    }

    @Test("a client logs in, quotes NIFTY 50 and receives full-mode ticker frames and heartbeats over loopback")
    func loginQuoteTicker() throws {
        let live = try Self.startBroker()
        defer {
            live.shutdown()
            live.wait()
        }
        let client = HTTPClient()
        let token = try Self.accessToken(live, client: client)
        let quote = try client.get(
            "/quote?i=NSE%3ANIFTY+50", host: "127.0.0.1", port: live.port, headers: Self.authorized(Self.apiKey, token))
        #expect(quote.status.code == 200)
        #expect(quote.headers["Content-Type"] == "application/json")
        let entry = try #require(try JSONParser.parse(quote.body)["data"]?["NSE:NIFTY 50"])
        guard case .number(let tokenNumber)? = entry["instrument_token"], let instrumentToken = tokenNumber.int64,
            case .number(let price)? = entry["last_price"]
        else {
            Issue.record("bad quote entry \(entry.jsonText)")
            return
        }
        #expect(price.double > 0)
        #expect(instrumentToken & 0xFF == 9, "an index token carries segment 9")

        let socket = try LoopbackWebSocket(
            port: live.port, path: "/ws?api_key=\(Self.apiKey)&access_token=\(token)")
        #expect(socket.handshake.status.code == 101)
        try socket.send(text: #"{"a":"subscribe","v":[\#(instrumentToken)]}"#)
        try socket.send(text: #"{"a":"mode","v":["full",[\#(instrumentToken)]]}"#)
        var sawHeartbeat = false
        var fullPacket: [UInt8]?
        while fullPacket == nil || !sawHeartbeat {
            guard case .binary(let frame) = try socket.next() else { continue }
            if frame.count == 1 { sawHeartbeat = true; continue }
            // uint16 count, then uint16 length + packet; index full packets are 32 bytes.
            #expect(frame.count >= 4)
            let length = Int(frame[2]) << 8 | Int(frame[3])
            #expect([8, 28, 32].contains(length), "index packets are 8, 28 or 32 bytes, got \(length)")
            if length == 32 { fullPacket = Array(frame[4..<(4 + length)]) }
        }
        let packet = try #require(fullPacket)
        let packetToken = packet[0..<4].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        #expect(packetToken == instrumentToken)
        #expect(live.tickerConnectionCount == 1)
    }

    @Test("a ticker upgrade with a bad access token is refused with HTTP 403 and a TokenException body")
    func tickerRefusesBadToken() throws {
        let live = try Self.startBroker()
        defer {
            live.shutdown()
            live.wait()
        }
        let socket = try LoopbackWebSocket(port: live.port, path: "/ws?api_key=\(Self.apiKey)&access_token=wrong")
        #expect(socket.handshake.status.code == 403)
        #expect(socket.handshake.headers["Content-Type"] == "application/json")
        #expect(try JSONParser.parse(socket.handshake.body)["error_type"] == .string("TokenException"))
        #expect(live.tickerConnectionCount == 0)
    }

    @Test("quote routes accept 1000 EXCHANGE:SYMBOL keys in one request line (about 30 KB) and answer in Kite's envelope")
    func longQuoteRequestLine() throws {
        let live = try Self.startBroker()
        defer {
            live.shutdown()
            live.wait()
        }
        let client = HTTPClient()
        let token = try Self.accessToken(live, client: client)
        let keys = (0..<1000).map { "i=NFO%3ANIFTY26DEC\(20_000 + $0)CE" }.joined(separator: "&")
        let response = try client.get(
            "/quote/ltp?" + keys, host: "127.0.0.1", port: live.port, headers: Self.authorized(Self.apiKey, token))
        #expect(response.status.code == 200)
        let json = try JSONParser.parse(response.body)
        #expect(json["status"] == .string("success"))
        #expect(json["data"] == .object([]), "unknown symbols are left out, not errors")
    }

    @Test("a burst of quote requests beyond the limit gets 429 with a JSON NetworkException body (slow virtual clock)")
    func rateLimitOverLoopback() throws {
        // At 0.001× one virtual second lasts 1000 wall seconds, so the burst cannot spread out.
        let live = try LiveBroker.start(
            port: 0, seed: 7, at: Self.start, speed: 0.001, apiKey: Self.apiKey, apiSecret: Self.apiSecret,
            indices: ["NIFTY"])
        defer {
            live.shutdown()
            live.wait()
        }
        let client = HTTPClient()
        let token = try Self.accessToken(live, client: client)
        let statuses = try (0..<3).map { _ in
            try client.get("/quote/ltp?i=NSE%3ANIFTY+50", host: "127.0.0.1", port: live.port,
                           headers: Self.authorized(Self.apiKey, token))
        }
        #expect(statuses.map(\.status.code) == [200, 429, 429])
        let limited = statuses[1]
        #expect(limited.headers["Content-Type"] == "application/json")
        #expect(try JSONParser.parse(limited.body)["error_type"] == .string("NetworkException"))
    }

    @Test("a fourth ticker connection for one key gets an error text message and is closed")
    func tickerConnectionCap() throws {
        let live = try Self.startBroker()
        defer {
            live.shutdown()
            live.wait()
        }
        let token = try Self.accessToken(live, client: HTTPClient())
        let path = "/ws?api_key=\(Self.apiKey)&access_token=\(token)"
        let open = try (0..<3).map { _ in try LoopbackWebSocket(port: live.port, path: path) }
        #expect(open.allSatisfy { $0.handshake.status.code == 101 })
        let fourth = try LoopbackWebSocket(port: live.port, path: path)
        #expect(fourth.handshake.status.code == 101)
        var refusal: String?
        while refusal == nil {
            switch try fourth.next() {
            case .text(let text): refusal = text
            case .closed: refusal = "closed without a message"
            default: continue
            }
        }
        #expect(refusal?.contains(#""type":"error""#) == true, "got \(refusal ?? "")")
        #expect(try JSONParser.parse(refusal ?? "")["type"] == .string("error"))
    }
}

enum LiveTestError: Error { case unexpected, closed }

/// A minimal blocking WebSocket client over a loopback socket (10 s receive timeout).
final class LoopbackWebSocket {
    let fd: Int32
    var state = WebSocketConnection(role: .client, maskSeed: 7)
    var pending: [WebSocketConnection.Event] = []
    private(set) var handshake = HTTPResponse()

    init(port: Int, path: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            throw LiveTestError.closed
        }
        let key = Base64.encode((0..<16).map { UInt8($0) })
        var wire: [UInt8] = []
        WebSocketHandshake.request(host: "127.0.0.1", path: path, key: key).serialize(into: &wire)
        try write(wire)
        var parser = HTTPResponseParser()
        while true {
            parser.append(contentsOf: try readSome())
            if case .response(let response) = parser.next() {
                handshake = response
                var replies: [UInt8] = []
                pending = state.receive(parser.takeRemainingBytes(), into: &replies)
                return
            }
        }
    }

    deinit { close(fd) }

    func send(text: String) throws {
        var wire: [UInt8] = []
        state.send(text: text, into: &wire)
        try write(wire)
    }

    /// The next message from the server.
    func next() throws -> WebSocketConnection.Event {
        while pending.isEmpty {
            var replies: [UInt8] = []
            pending = state.receive(try readSome(), into: &replies)
            if !replies.isEmpty { try write(replies) }
        }
        return pending.removeFirst()
    }

    private func readSome() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { throw LiveTestError.closed }
        return Array(buffer[0..<count])
    }

    private func write(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw LiveTestError.closed }
    }
}
#endif
