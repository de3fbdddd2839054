/// A WebSocket frame's opcode (RFC 6455 §5.2).
public enum WebSocketOpcode: UInt8, Sendable, Equatable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong: at most 125 payload bytes, never fragmented.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One WebSocket frame with its payload already unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    /// True on the last frame of a message.
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }
}

/// Writes frames in wire format (RFC 6455 §5.2); clients must mask, servers must not.
public enum WebSocketFrameEncoder {
    /// Appends one frame carrying `payload` to `out`, masked with `maskingKey` if given.
    public static func encode(
        opcode: WebSocketOpcode, fin: Bool = true, payload: UnsafeRawBufferPointer, maskingKey: UInt32? = nil,
        into out: inout [UInt8]
    ) {
        precondition(!opcode.isControl || (fin && payload.count <= 125), "control frame of \(payload.count) bytes or fragmented")
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        let count = payload.count
        if count < 126 {
            out.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            out.append(maskBit | 126)
            out.append(UInt8(count >> 8))
            out.append(UInt8(count & 0xFF))
        } else {
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: UInt64(count) >> UInt64(shift))) }
        }
        guard let key = maskingKey else {
            out.append(contentsOf: payload)
            return
        }
        let keyBytes = [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
        out.append(contentsOf: keyBytes)
        for (index, byte) in payload.enumerated() { out.append(byte ^ keyBytes[index & 3]) }
    }

    /// Appends one frame carrying `payload` to `out`, masked with `maskingKey` if given.
    public static func encode<C: Collection<UInt8>>(
        opcode: WebSocketOpcode, fin: Bool = true, payload: C, maskingKey: UInt32? = nil, into out: inout [UInt8]
    ) {
        let bytes = Array(payload)
        bytes.withUnsafeBytes { encode(opcode: opcode, fin: fin, payload: $0, maskingKey: maskingKey, into: &out) }
    }

    /// One complete unmasked frame (what a server sends), e.g. to encode a broadcast once for all.
    public static func serverFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 10)
        encode(opcode: opcode, payload: payload, into: &out)
        return out
    }
}

/// A WebSocket protocol violation: the close code to send (RFC 6455 §7.4.1) and why.
public struct WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1002 protocol error, 1007 invalid payload, 1009 message too big.
    public let closeCode: UInt16
    public let reason: String

    public init(closeCode: UInt16, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    public static func protocolError(_ reason: String) -> WebSocketError { .init(closeCode: 1002, reason: reason) }

    public var description: String { "WebSocket error \(closeCode): \(reason)" }
}
