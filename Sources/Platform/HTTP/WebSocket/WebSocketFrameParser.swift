/// An incremental WebSocket frame decoder: bytes in, unmasked frames out (RFC 6455 §5.2).
///
/// How this works: a frame is decoded once its header (2–14 bytes) and whole payload are
/// buffered; a payload larger than `framePayloadMax` is refused from the header alone (1009), so
/// no more than that is ever buffered for one frame. Rules enforced, each a 1002: reserved bits
/// clear, known opcodes, masking as the role requires (clients mask, servers don't), minimal
/// length encoding, control frames unfragmented and ≤ 125 bytes. After an error every call
/// returns it again.
public struct WebSocketFrameParser: Sendable {
    /// Which side of the connection parses: a server expects masked frames, a client unmasked.
    public enum Role: Sendable, Equatable {
        case server
        case client
    }

    public enum Event: Sendable, Equatable {
        case frame(WebSocketFrame)
        case needMoreData
        case error(WebSocketError)
    }

    public let role: Role
    public let framePayloadMax: Int
    private var buffer = HTTPReceiveBuffer()
    private var failure: WebSocketError?

    public init(role: Role, framePayloadMax: Int = 1 << 20) {
        self.role = role
        self.framePayloadMax = framePayloadMax
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) { buffer.append(raw) }
    public mutating func append<C: Collection<UInt8>>(contentsOf bytes: C) { buffer.append(contentsOf: bytes) }

    /// Appends `bytes` and returns the next event.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) -> Event {
        buffer.append(contentsOf: bytes)
        return next()
    }

    /// Decodes the next frame from the buffered bytes.
    public mutating func next() -> Event {
        if let failure { return .error(failure) }
        let role = self.role
        let limit = framePayloadMax
        let result: Result<(WebSocketFrame, Int)?, WebSocketError> = buffer.withReadable { bytes in
            do throws(WebSocketError) {
                return .success(try WebSocketFrameParser.decode(bytes, role: role, payloadMax: limit))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .failure(let error):
            failure = error
            return .error(error)
        case .success(nil):
            return .needMoreData
        case .success(let (frame, consumed)?):
            buffer.consume(consumed)
            return .frame(frame)
        }
    }

    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, role: Role, payloadMax: Int
    ) throws(WebSocketError) -> (WebSocketFrame, Int)? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0]
        let second = bytes[1]
        guard first & 0x70 == 0 else { throw .protocolError("reserved bits set without a negotiated extension") }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw .protocolError("unknown opcode \(first & 0x0F)")
        }
        let fin = first & 0x80 != 0
        let masked = second & 0x80 != 0
        if masked != (role == .server) {
            throw .protocolError(role == .server ? "client frames must be masked" : "server frames must not be masked")
        }
        var length = Int(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            guard length >= 126 else { throw .protocolError("payload length not minimally encoded") }
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            var value: UInt64 = 0
            for index in 2..<10 { value = value << 8 | UInt64(bytes[index]) }
            guard value >> 63 == 0 else { throw .protocolError("payload length has its top bit set") }
            guard value > 0xFFFF else { throw .protocolError("payload length not minimally encoded") }
            guard value <= UInt64(payloadMax) else {
                throw WebSocketError(closeCode: 1009, reason: "frame larger than \(payloadMax) bytes")
            }
            length = Int(value)
            offset = 10
        }
        if opcode.isControl {
            guard fin else { throw .protocolError("fragmented control frame") }
            guard length <= 125 else { throw .protocolError("control frame longer than 125 bytes") }
        }
        guard length <= payloadMax else { throw WebSocketError(closeCode: 1009, reason: "frame larger than \(payloadMax) bytes") }
        let keyStart = offset
        if masked { offset += 4 }
        guard bytes.count >= offset + length else { return nil }
        var payload = Array(UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]))
        if masked {
            let key = (bytes[keyStart], bytes[keyStart + 1], bytes[keyStart + 2], bytes[keyStart + 3])
            payload.withUnsafeMutableBufferPointer { out in
                var index = 0
                while index < out.count {
                    switch index & 3 {
                    case 0: out[index] ^= key.0
                    case 1: out[index] ^= key.1
                    case 2: out[index] ^= key.2
                    default: out[index] ^= key.3
                    }
                    index += 1
                }
            }
        }
        return (WebSocketFrame(fin: fin, opcode: opcode, payload: payload), offset + length)
    }
}
