/// Kite's WebSocket ticker protocol, sans-IO: binary frames and text messages in, values out.
///
/// A binary frame is a big-endian uint16 packet count, then per packet a uint16 length and that
/// many bytes. Packet layout is chosen by length alone: 8 (LTP), 44 (quote) or 184 (full) for
/// tradable instruments, 8/28/32 for indices (segment 9, whose OHLC order differs). A frame
/// shorter than 2 bytes is a heartbeat. Packets of any other length are skipped and counted, as
/// the official clients drop them; framing that does not add up is a typed error. Prices are
/// scaled from the segment's divisor (100 for NSE/NFO/BSE/BFO/INDICES) to paise.
public enum KiteTickerDecoder {
    /// What one server message meant.
    public enum Message: Sendable, Equatable {
        /// A heartbeat (binary frame under 2 bytes): the connection is alive, nothing else.
        case heartbeat
        /// Ticks in frame order, and how many packets of an unknown layout were skipped.
        case ticks([BrokerTick], skipped: Int)
        /// `{"type":"error","data":"…"}`: the server refused something (a subscription, say).
        case error(String)
        /// `{"type":"order","data":{…}}`: an order update, kept as parsed JSON.
        case order(JSONValue)
        /// `{"type":"message","data":…}` or another type: broker notices the collector ignores.
        case notice(type: String, data: JSONValue)
    }

    /// Most packets one frame may declare (the count is a uint16).
    public static let packetsMax = Int(UInt16.max)

    /// Decodes one binary frame.
    public static func decode(binary frame: [UInt8]) throws(KiteTickerDecodeError) -> Message {
        if frame.count < 2 { return .heartbeat }
        let count = Int(frame[0]) << 8 | Int(frame[1])
        var index = 2
        var ticks: [BrokerTick] = []
        ticks.reserveCapacity(count)
        var skipped = 0
        for packet in 0..<count {
            guard index + 2 <= frame.count else {
                throw .truncatedLength(packet: packet, declaredPackets: count, frameBytes: frame.count)
            }
            let length = Int(frame[index]) << 8 | Int(frame[index + 1])
            index += 2
            guard index + length <= frame.count else {
                throw .truncatedPacket(packet: packet, length: length, available: frame.count - index)
            }
            if let tick = packetTick(frame, from: index, length: length) { ticks.append(tick) } else { skipped += 1 }
            index += length
        }
        guard index == frame.count else { throw .trailingBytes(count: frame.count - index, after: count) }
        return .ticks(ticks, skipped: skipped)
    }

    /// Decodes one text message from the server.
    public static func decode(text: [UInt8]) throws(KiteTickerDecodeError) -> Message {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw .textNotJSON(error.description) }
        guard case .string(let type)? = value["type"] else { throw .textWithoutType }
        let data = value["data"] ?? .null
        switch type {
        case "error":
            guard case .string(let message) = data else { throw .textBadData(type: type) }
            return .error(message)
        case "order":
            guard case .object = data else { throw .textBadData(type: type) }
            return .order(data)
        default:
            return .notice(type: type, data: data)
        }
    }

    /// The tick in `frame[start..<start+length]`, or nil for a length the protocol does not define.
    static func packetTick(_ frame: [UInt8], from start: Int, length: Int) -> BrokerTick? {
        guard length >= 8 else { return nil }
        func u32(_ offset: Int) -> UInt32 {
            let at = start + offset
            return UInt32(frame[at]) << 24 | UInt32(frame[at + 1]) << 16 | UInt32(frame[at + 2]) << 8 | UInt32(frame[at + 3])
        }
        let token = u32(0)
        let segment = UInt8(truncatingIfNeeded: token)
        let tradable = segment != 9
        let mode: BrokerTickMode
        switch (length, tradable) {
        case (8, _): mode = .ltp
        case (44, true), (28, false): mode = .quote
        case (184, true), (32, false): mode = .full
        default: return nil
        }
        let divisor = divisor(segment: segment)
        func paise(_ offset: Int) -> Int64 { scale(Int64(u32(offset)), divisor: divisor) }
        func count(_ offset: Int) -> Int64 { Int64(u32(offset)) }
        func time(_ offset: Int) -> Instant? {
            let seconds = u32(offset)
            return seconds == 0 ? nil : Instant(secondsSinceEpoch: Int64(seconds))
        }
        var tick = BrokerTick(instrumentToken: token, mode: mode, tradable: tradable)
        tick.lastPricePaise = paise(4)
        guard mode != .ltp else { return tick }
        if !tradable {
            (tick.highPaise, tick.lowPaise, tick.openPaise, tick.closePaise) = (paise(8), paise(12), paise(16), paise(20))
            if mode == .full { tick.exchangeTime = time(28) }
            return tick
        }
        (tick.lastQuantity, tick.averagePricePaise, tick.volume) = (count(8), paise(12), count(16))
        (tick.buyQuantity, tick.sellQuantity) = (count(20), count(24))
        (tick.openPaise, tick.highPaise, tick.lowPaise, tick.closePaise) = (paise(28), paise(32), paise(36), paise(40))
        guard mode == .full else { return tick }
        tick.lastTradeTime = time(44)
        (tick.oi, tick.oiDayHigh, tick.oiDayLow) = (count(48), count(52), count(56))
        tick.exchangeTime = time(60)
        tick.bids.reserveCapacity(5)
        tick.asks.reserveCapacity(5)
        for level in 0..<10 {
            let offset = 64 + level * 12
            let orders = Int64(frame[start + offset + 8]) << 8 | Int64(frame[start + offset + 9])
            let depth = BrokerDepthLevel(pricePaise: paise(offset + 4), quantity: count(offset), orders: orders)
            if level < 5 { tick.bids.append(depth) } else { tick.asks.append(depth) }
        }
        return tick
    }

    /// The wire price divisor of a segment code: CDS 10⁷, BCD and NCO 10⁴, everything else 100.
    public static func divisor(segment: UInt8) -> Int64 {
        switch segment {
        case 3: return 10_000_000
        case 6, 12: return 10_000
        default: return 100
        }
    }

    /// A wire price in paise, rounded half away from zero when the segment is finer than a paisa.
    static func scale(_ value: Int64, divisor: Int64) -> Int64 {
        if divisor == 100 { return value }
        let factor = divisor / 100
        return (value + factor / 2) / factor
    }
}

/// Client → server ticker messages, as the JSON text the official clients send.
public enum KiteTickerRequestText {
    /// `{"a":"subscribe","v":[tokens]}`.
    public static func subscribe(_ tokens: [UInt32]) -> [UInt8] {
        Array(#"{"a":"subscribe","v":"#.utf8) + list(tokens) + [0x7D]
    }

    /// `{"a":"unsubscribe","v":[tokens]}`.
    public static func unsubscribe(_ tokens: [UInt32]) -> [UInt8] {
        Array(#"{"a":"unsubscribe","v":"#.utf8) + list(tokens) + [0x7D]
    }

    /// `{"a":"mode","v":["full",[tokens]]}` (or `ltp`, `quote`).
    public static func mode(_ mode: BrokerTickMode, _ tokens: [UInt32]) -> [UInt8] {
        Array(#"{"a":"mode","v":[""#.utf8) + Array(mode.rawValue.utf8) + Array("\",".utf8) + list(tokens) + Array("]}".utf8)
    }

    static func list(_ tokens: [UInt32]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (position, token) in tokens.enumerated() {
            if position > 0 { out.append(0x2C) }
            out.append(contentsOf: String(token).utf8)
        }
        out.append(0x5D)
        return out
    }
}

/// Why a ticker message could not be decoded; the peer (the server) was at fault in every case.
public enum KiteTickerDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame ended where packet `packet`'s 2-byte length should be.
    case truncatedLength(packet: Int, declaredPackets: Int, frameBytes: Int)
    /// Packet `packet` declares `length` bytes but only `available` remain.
    case truncatedPacket(packet: Int, length: Int, available: Int)
    /// Bytes left over after the declared packets.
    case trailingBytes(count: Int, after: Int)
    case textNotJSON(String)
    case textWithoutType
    case textBadData(type: String)

    public var description: String {
        switch self {
        case .truncatedLength(let packet, let declared, let bytes):
            return "ticker frame of \(bytes) bytes declares \(declared) packets but ends before packet \(packet)'s length; drop the frame"
        case .truncatedPacket(let packet, let length, let available):
            return "ticker packet \(packet) declares \(length) bytes but only \(available) remain in the frame; drop the frame"
        case .trailingBytes(let count, let after):
            return "ticker frame has \(count) bytes after its \(after) declared packets; drop the frame"
        case .textNotJSON(let reason):
            return "ticker text message is not JSON (\(reason))"
        case .textWithoutType:
            return "ticker text message has no string \"type\"; expected error, order or message"
        case .textBadData(let type):
            return "ticker \(type) message has data of the wrong shape"
        }
    }
}
