import Testing

@testable import Platform

@Suite struct WebSocketTests {
    static let seeds: [UInt64] = Array(1...30)

    @Test("the RFC 6455 example key gives the RFC's accept value")
    func rfcAccept() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("a valid upgrade request gets 101 with the accept header; a bad one gets its status")
    func handshake() {
        let request = WebSocketHandshake.request(host: "h", path: "/ws", key: "dGhlIHNhbXBsZSBub25jZQ==")
        guard case .success(let response) = WebSocketHandshake.response(to: request) else { Issue.record("refused"); return }
        #expect(response.status.code == 101)
        #expect(WebSocketHandshake.isAccepted(response, key: "dGhlIHNhbXBsZSBub25jZQ=="))
        var oldVersion = request
        oldVersion.headers.replaceOrAdd(name: "Sec-WebSocket-Version", value: "8")
        #expect(WebSocketHandshake.response(to: oldVersion).failureStatus == 426)
        var badKey = request
        badKey.headers.replaceOrAdd(name: "Sec-WebSocket-Key", value: "c2hvcnQ=")
        #expect(WebSocketHandshake.response(to: badKey).failureStatus == 400)
    }

    // RFC 6455 §5.7 examples.
    @Test("the RFC 6455 single-frame examples encode and decode byte for byte")
    func rfcFrames() {
        let unmasked: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let masked: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(WebSocketFrameEncoder.serverFrame(.text, Array("Hello".utf8)) == unmasked)
        var out: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8), maskingKey: 0x37FA_213D, into: &out)
        #expect(out == masked)
        var server = WebSocketFrameParser(role: .server)
        #expect(server.feed(masked) == .frame(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))))
        var client = WebSocketFrameParser(role: .client)
        #expect(client.feed(unmasked) == .frame(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))))
        var fragmented = WebSocketConnection(role: .client)
        var ignored: [UInt8] = []
        // "Hel" + "lo" as two fragments, the RFC's fragmented example.
        let events = fragmented.receive([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], into: &ignored)
        #expect(events == [.text("Hello")])
    }

    @Test("frames of every length class round-trip through any split of the bytes", arguments: seeds)
    func frameRoundTrip(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var wire: [UInt8] = []
        var frames: [WebSocketFrame] = []
        for length in [0, 1, 125, 126, 127, 65_535, 65_536, Int(random.next(below: 3000))] {
            let payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let frame = WebSocketFrame(fin: true, opcode: .binary, payload: payload)
            frames.append(frame)
            WebSocketFrameEncoder.encode(opcode: .binary, payload: payload, maskingKey: UInt32(truncatingIfNeeded: random.next()), into: &wire)
        }
        var parser = WebSocketFrameParser(role: .server, framePayloadMax: 1 << 20)
        var decoded: [WebSocketFrame] = []
        var offset = 0
        while offset < wire.count {
            let end = min(wire.count, offset + 1 + Int(random.next(below: 9000)))
            parser.append(contentsOf: wire[offset..<end])
            offset = end
            while case .frame(let frame) = parser.next() { decoded.append(frame) }
        }
        #expect(decoded == frames, "seed \(seed)")
    }

    @Test("pings are answered with pongs and a peer's close is echoed")
    func controlFrames() {
        var server = WebSocketConnection(role: .server)
        var client = WebSocketConnection(role: .client, maskSeed: 1)
        var toServer: [UInt8] = []
        client.ping([1, 2, 3], into: &toServer)
        var toClient: [UInt8] = []
        #expect(server.receive(toServer, into: &toClient) == [.ping([1, 2, 3])])
        var none: [UInt8] = []
        #expect(client.receive(toClient, into: &none) == [.pong([1, 2, 3])])
        toServer = []
        client.close(code: 1000, reason: "bye", into: &toServer)
        toClient = []
        #expect(server.receive(toServer, into: &toClient) == [.closed(code: 1000, reason: "bye")])
        #expect(server.state == .closed)
        #expect(client.receive(toClient, into: &none) == [.closed(code: 1000, reason: "")])
        #expect(client.state == .closed)
    }

    @Test("protocol violations close with the code RFC 6455 prescribes", arguments: [
        ([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], 1002),  // unmasked frame from a client
        ([0xC1, 0x80, 0, 0, 0, 0], 1002),  // RSV1 set
        ([0x83, 0x80, 0, 0, 0, 0], 1002),  // reserved opcode
        ([0x09, 0x80, 0, 0, 0, 0], 1002),  // fragmented ping
        ([0x80, 0x80, 0, 0, 0, 0], 1002),  // continuation with nothing to continue
        ([0x81, 0xFE, 0x00, 0x05, 0, 0, 0, 0], 1002),  // 16-bit length for a short payload
        ([0x81, 0x82, 0, 0, 0, 0, 0xC3, 0x28], 1007),  // invalid UTF-8 text
        ([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xED], 1002),  // close code 1005 may not be sent
        ([0x82, 0xFF, 0, 0, 0, 0, 0, 0x10, 0, 0], 1009),  // 1 MiB frame over a 64 KiB limit
    ] as [([UInt8], Int)])
    func violations(bytes: [UInt8], code: Int) {
        var server = WebSocketConnection(role: .server, messageBytesMax: 65_536)
        var out: [UInt8] = []
        let events = server.receive(bytes, into: &out)
        guard case .closed(let closeCode, _) = events.last else { Issue.record("no close: \(events)"); return }
        #expect(Int(closeCode) == code)
        #expect(server.state == .closed)
        // The close frame we sent carries the same code.
        var client = WebSocketFrameParser(role: .client)
        guard case .frame(let frame) = client.feed(out) else { Issue.record("no close frame sent"); return }
        #expect(frame.opcode == .close)
        #expect(Int(frame.payload[0]) << 8 | Int(frame.payload[1]) == code)
    }

    @Test("a fragmented message over the per-message limit is refused with 1009")
    func messageLimit() {
        var server = WebSocketConnection(role: .server, messageBytesMax: 100)
        var wire: [UInt8] = []
        for index in 0..<3 {
            WebSocketFrameEncoder.encode(
                opcode: index == 0 ? .binary : .continuation, fin: index == 2, payload: [UInt8](repeating: 7, count: 40),
                maskingKey: 99, into: &wire)
        }
        var out: [UInt8] = []
        #expect(server.receive(wire, into: &out).last == .closed(code: 1009, reason: "message larger than 100 bytes"))
    }

    @Test("mutated frame streams never crash the decoder and end in messages or a close", arguments: seeds)
    func fuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 131)
        var base: [UInt8] = []
        var client = WebSocketConnection(role: .client, maskSeed: seed)
        client.send(text: "hello world", into: &base)
        client.send(binary: [1, 2, 3, 4, 5], into: &base)
        client.ping([9], into: &base)
        client.close(code: 1001, reason: "going", into: &base)
        for _ in 0..<300 {
            var bytes = base
            Fuzz.mutate(&bytes, random: &random)
            var server = WebSocketConnection(role: .server, messageBytesMax: 4096)
            var out: [UInt8] = []
            let events = server.receive(bytes, into: &out)
            // Each event needs at least a 2-byte frame header; nothing follows a close.
            #expect(events.count <= bytes.count / 2)
            if let index = events.firstIndex(where: { if case .closed = $0 { true } else { false } }) {
                #expect(index == events.count - 1)
            }
        }
    }
}

extension Result where Failure == HTTPError {
    var failureStatus: Int? {
        if case .failure(let error) = self { return error.status.code }
        return nil
    }
}
