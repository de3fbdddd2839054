/// One WebSocket connection above the frame layer: messages in and out, ping/pong, the close
/// handshake, fragmentation and the per-message size limit. I/O-free: bytes in, bytes out.
///
/// How this works:
/// - `.open`: data frames are assembled into messages (a text message must be valid UTF-8, else
///   1007; past `messageBytesMax`, 1009). Pings are answered with pongs at once. A close frame from
///   the peer is echoed and moves to `.closed`.
/// - `.closeSent`: we sent a close and wait for the peer's; data is ignored, the reply moves to `.closed`.
/// - `.closed`: nothing more is read or sent; the driver closes the TCP connection after writing.
/// A protocol error sends a close frame with its code and moves straight to `.closed`.
/// Clients mask every frame with a key from a seeded generator (RFC 6455 does not need
/// unpredictability against a cooperating server; a live client may seed from the clock).
public struct WebSocketConnection: Sendable {
    public enum Event: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        /// A ping arrived (already answered with a pong).
        case ping([UInt8])
        case pong([UInt8])
        /// The connection is closed: the code and reason the peer sent (1005 if none), or ours on an error.
        case closed(code: UInt16, reason: String)
    }

    public enum State: Sendable, Equatable {
        case open
        case closeSent
        case closed
    }

    public let role: WebSocketFrameParser.Role
    public let messageBytesMax: Int
    public private(set) var state = State.open
    private var parser: WebSocketFrameParser
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private var maskRandom: SplitMix64

    public init(role: WebSocketFrameParser.Role, messageBytesMax: Int = 1 << 20, maskSeed: UInt64 = 0x5EED) {
        self.role = role
        self.messageBytesMax = messageBytesMax
        self.parser = WebSocketFrameParser(role: role, framePayloadMax: messageBytesMax)
        self.maskRandom = SplitMix64(seed: maskSeed)
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) { parser.append(raw) }
    public mutating func append<C: Collection<UInt8>>(contentsOf bytes: C) { parser.append(contentsOf: bytes) }

    /// Every event the buffered bytes complete, with replies (pongs, close echoes) appended to `out`.
    public mutating func receive<C: Collection<UInt8>>(_ bytes: C, into out: inout [UInt8]) -> [Event] {
        parser.append(contentsOf: bytes)
        var events: [Event] = []
        while let event = next(into: &out) { events.append(event) }
        return events
    }

    /// The next event from the buffered bytes, or nil if more are needed.
    public mutating func next(into out: inout [UInt8]) -> Event? {
        while state != .closed {
            switch parser.next() {
            case .needMoreData:
                return nil
            case .error(let error):
                return fail(error, into: &out)
            case .frame(let frame):
                if let event = handle(frame, into: &out) { return event }
            }
        }
        return nil
    }

    private mutating func handle(_ frame: WebSocketFrame, into out: inout [UInt8]) -> Event? {
        switch frame.opcode {
        case .ping:
            if state == .open { write(.pong, frame.payload, into: &out) }
            return .ping(frame.payload)
        case .pong:
            return .pong(frame.payload)
        case .close:
            return receivedClose(frame.payload, into: &out)
        case .text, .binary, .continuation:
            if state == .closeSent { return nil }
            return assemble(frame, into: &out)
        }
    }

    private mutating func assemble(_ frame: WebSocketFrame, into out: inout [UInt8]) -> Event? {
        if frame.opcode == .continuation {
            guard fragmentOpcode != nil else { return fail(.protocolError("continuation frame without a message to continue"), into: &out) }
        } else {
            guard fragmentOpcode == nil else { return fail(.protocolError("new message before the fragmented one ended"), into: &out) }
            fragmentOpcode = frame.opcode
        }
        guard fragments.count + frame.payload.count <= messageBytesMax else {
            return fail(WebSocketError(closeCode: 1009, reason: "message larger than \(messageBytesMax) bytes"), into: &out)
        }
        if fragments.isEmpty && frame.fin {
            fragmentOpcode = nil
            return message(frame.opcode, frame.payload, into: &out)
        }
        fragments.append(contentsOf: frame.payload)
        guard frame.fin, let opcode = fragmentOpcode else { return nil }
        let payload = fragments
        fragments = []
        fragmentOpcode = nil
        return message(opcode, payload, into: &out)
    }

    private mutating func message(_ opcode: WebSocketOpcode, _ payload: [UInt8], into out: inout [UInt8]) -> Event? {
        guard opcode == .text else { return .binary(payload) }
        guard let text = String(validating: payload, as: UTF8.self) else {
            return fail(WebSocketError(closeCode: 1007, reason: "text message is not valid UTF-8"), into: &out)
        }
        return .text(text)
    }

    private mutating func receivedClose(_ payload: [UInt8], into out: inout [UInt8]) -> Event? {
        var code: UInt16 = 1005
        var reason = ""
        if payload.count == 1 { return fail(.protocolError("close payload of one byte"), into: &out) }
        if payload.count >= 2 {
            code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            guard WebSocketConnection.isValidReceivedCloseCode(code) else {
                return fail(.protocolError("invalid close code \(code)"), into: &out)
            }
            guard let text = String(validating: payload[2...], as: UTF8.self) else {
                return fail(WebSocketError(closeCode: 1007, reason: "close reason is not valid UTF-8"), into: &out)
            }
            reason = text
        }
        if state == .open {
            var echo: [UInt8] = []
            if payload.count >= 2 { echo = [payload[0], payload[1]] }
            write(.close, echo, into: &out)
        }
        state = .closed
        return .closed(code: code, reason: reason)
    }

    private mutating func fail(_ error: WebSocketError, into out: inout [UInt8]) -> Event {
        if state == .open { writeClose(code: error.closeCode, reason: error.reason, into: &out) }
        state = .closed
        return .closed(code: error.closeCode, reason: error.reason)
    }

    /// Codes a peer may send (RFC 6455 §7.4): 1000–1003, 1007–1014, and 3000–4999.
    static func isValidReceivedCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }

    /// Appends a text message (ignored unless open).
    public mutating func send(text: String, into out: inout [UInt8]) {
        if state == .open { write(.text, Array(text.utf8), into: &out) }
    }

    /// Appends a binary message (ignored unless open).
    public mutating func send(binary: [UInt8], into out: inout [UInt8]) {
        if state == .open { write(.binary, binary, into: &out) }
    }

    /// Appends a ping carrying `payload` (at most 125 bytes).
    public mutating func ping(_ payload: [UInt8] = [], into out: inout [UInt8]) {
        if state == .open { write(.ping, Array(payload.prefix(125)), into: &out) }
    }

    /// Starts the close handshake with `code` and `reason` (reason truncated to fit 125 bytes).
    public mutating func close(code: UInt16 = 1000, reason: String = "", into out: inout [UInt8]) {
        guard state == .open else { return }
        writeClose(code: code, reason: reason, into: &out)
        state = .closeSent
    }

    private mutating func writeClose(code: UInt16, reason: String, into out: inout [UInt8]) {
        var payload: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        var reasonBytes = Array(reason.utf8.prefix(123))
        while String(validating: reasonBytes, as: UTF8.self) == nil { reasonBytes.removeLast() }
        payload.append(contentsOf: reasonBytes)
        write(.close, payload, into: &out)
    }

    private mutating func write(_ opcode: WebSocketOpcode, _ payload: [UInt8], into out: inout [UInt8]) {
        let key: UInt32? = role == .client ? UInt32(truncatingIfNeeded: maskRandom.next()) : nil
        WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, maskingKey: key, into: &out)
    }
}
