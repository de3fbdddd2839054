/// A ticker subscription mode: which packet size a token's updates use.
public enum KiteTickMode: String, Sendable, CaseIterable {
    /// 8 bytes: token and last price.
    case ltp
    /// 44 bytes (28 for indices): adds quantities and OHLC.
    case quote
    /// 184 bytes (32 for indices): adds times, OI and 5+5 depth.
    case full
}

/// One decoded ticker packet, with every field as the wire carries it (prices in the segment's units).
///
/// Prices are integers to divide by `divisor` (100 for NSE/NFO/BSE/BFO/INDICES, so paise);
/// times are Unix epoch seconds. Fields the packet's mode does not carry are zero.
public struct KiteTick: Sendable, Equatable {
    public var instrumentToken: UInt32
    public var mode: KiteTickMode
    /// False for segment 9 (indices), whose packets have another layout.
    public var tradable: Bool
    public var lastPrice: UInt32 = 0
    public var lastQuantity: UInt32 = 0
    public var averagePrice: UInt32 = 0
    public var volume: UInt32 = 0
    public var buyQuantity: UInt32 = 0
    public var sellQuantity: UInt32 = 0
    public var open: UInt32 = 0
    public var high: UInt32 = 0
    public var low: UInt32 = 0
    public var close: UInt32 = 0
    /// Index packets only: the price change field (two's complement; official clients ignore it).
    public var change: UInt32 = 0
    public var lastTradeTime: UInt32 = 0
    public var oi: UInt32 = 0
    public var oiDayHigh: UInt32 = 0
    public var oiDayLow: UInt32 = 0
    public var exchangeTimestamp: UInt32 = 0
    /// Full mode only: (quantity, price, orders), best first.
    public var bids: [KiteTickDepth] = []
    public var asks: [KiteTickDepth] = []

    public init(instrumentToken: UInt32, mode: KiteTickMode, tradable: Bool) {
        self.instrumentToken = instrumentToken
        self.mode = mode
        self.tradable = tradable
    }

    /// Price divisor for a segment code: CDS 10⁷, BCD and NCO 10⁴, everything else 100.
    public static func divisor(segment: UInt8) -> Int64 {
        switch segment {
        case 3: return 10_000_000
        case 6, 12: return 10_000
        default: return 100
        }
    }
}

/// One depth entry of a full packet: quantity, price (segment units), orders.
public struct KiteTickDepth: Sendable, Equatable {
    public var quantity: UInt32
    public var price: UInt32
    public var orders: UInt16

    public init(quantity: UInt32, price: UInt32, orders: UInt16) {
        self.quantity = quantity
        self.price = price
        self.orders = orders
    }
}

/// Kite's binary ticker packets and frames: exact big-endian byte layouts, encode and decode.
///
/// Tradable packets are 8/44/184 bytes, index packets 8/28/32; a frame is a uint16 packet count
/// followed by uint16-length-prefixed packets; a heartbeat is a single byte.
public enum KiteTickPacket {
    /// The 1-byte heartbeat frame sent about every second.
    public static let heartbeat: [UInt8] = [0]

    /// The packet length for `mode` on a tradable or index instrument.
    public static func length(_ mode: KiteTickMode, tradable: Bool) -> Int {
        switch mode {
        case .ltp: return 8
        case .quote: return tradable ? 44 : 28
        case .full: return tradable ? 184 : 32
        }
    }

    /// Builds the tick for `quote` in `mode`: prices converted from paise to segment units,
    /// negatives clamped to 0 and values to 32 bits (the wire is unsigned).
    public static func tick(_ quote: KiteQuote, mode: KiteTickMode) -> KiteTick {
        let segment = UInt8(truncatingIfNeeded: quote.instrumentToken)
        let scale = KiteTick.divisor(segment: segment) / 100
        func price(_ paise: Int64) -> UInt32 { UInt32(clamping: max(0, paise).multipliedReportingOverflow(by: scale).partialValue) }
        func count(_ value: Int64) -> UInt32 { UInt32(clamping: max(0, value)) }
        var tick = KiteTick(instrumentToken: quote.instrumentToken, mode: mode, tradable: segment != 9)
        tick.lastPrice = price(quote.lastPricePaise)
        guard mode != .ltp else { return tick }
        tick.open = price(quote.openPaise)
        tick.high = price(quote.highPaise)
        tick.low = price(quote.lowPaise)
        tick.close = price(quote.closePaise)
        let fullTime = UInt32(clamping: max(0, quote.exchangeTime.secondsSinceEpoch))
        if !tick.tradable {
            tick.change = UInt32(truncatingIfNeeded: Int32(clamping: (quote.lastPricePaise - quote.closePaise) * scale))
            if mode == .full { tick.exchangeTimestamp = fullTime }
            return tick
        }
        tick.lastQuantity = count(quote.lastQuantity)
        tick.averagePrice = price(quote.averagePricePaise)
        tick.volume = count(quote.volume)
        tick.buyQuantity = count(quote.buyQuantity)
        tick.sellQuantity = count(quote.sellQuantity)
        guard mode == .full else { return tick }
        tick.lastTradeTime = UInt32(clamping: max(0, quote.lastTradeTime?.secondsSinceEpoch ?? 0))
        tick.oi = count(quote.oi)
        tick.oiDayHigh = count(quote.oiDayHigh)
        tick.oiDayLow = count(quote.oiDayLow)
        tick.exchangeTimestamp = fullTime
        func depth(_ levels: KiteDepthLevels) -> [KiteTickDepth] {
            (0..<5).map { index in
                let level = index < levels.count ? levels[index] : .empty
                return KiteTickDepth(quantity: count(level.quantity), price: price(level.pricePaise),
                                     orders: UInt16(clamping: max(0, level.orders)))
            }
        }
        tick.bids = depth(quote.bids)
        tick.asks = depth(quote.asks)
        return tick
    }

    /// Appends `tick`'s packet bytes (without the length prefix).
    public static func append(_ tick: KiteTick, to out: inout [UInt8]) {
        func u32(_ value: UInt32) {
            out.append(UInt8(value >> 24))
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            out.append(UInt8(truncatingIfNeeded: value))
        }
        u32(tick.instrumentToken)
        u32(tick.lastPrice)
        guard tick.mode != .ltp else { return }
        if !tick.tradable {
            for value in [tick.high, tick.low, tick.open, tick.close, tick.change] { u32(value) }
            if tick.mode == .full { u32(tick.exchangeTimestamp) }
            return
        }
        for value in [tick.lastQuantity, tick.averagePrice, tick.volume, tick.buyQuantity, tick.sellQuantity,
                      tick.open, tick.high, tick.low, tick.close] { u32(value) }
        guard tick.mode == .full else { return }
        for value in [tick.lastTradeTime, tick.oi, tick.oiDayHigh, tick.oiDayLow, tick.exchangeTimestamp] { u32(value) }
        precondition(tick.bids.count == 5 && tick.asks.count == 5, "a full packet needs 5+5 depth levels")
        for level in tick.bids + tick.asks {
            u32(level.quantity)
            u32(level.price)
            out.append(UInt8(level.orders >> 8))
            out.append(UInt8(truncatingIfNeeded: level.orders))
            out.append(contentsOf: [0, 0])
        }
    }

    /// Decodes one packet; nil for a length that is not 8, 28, 32, 44 or 184 (official clients drop those).
    public static func decode(_ packet: ArraySlice<UInt8>) -> KiteTick? {
        let base = packet.startIndex
        func u32(_ offset: Int) -> UInt32 {
            let start = base + offset
            return UInt32(packet[start]) << 24 | UInt32(packet[start + 1]) << 16 | UInt32(packet[start + 2]) << 8
                | UInt32(packet[start + 3])
        }
        guard [8, 28, 32, 44, 184].contains(packet.count) else { return nil }
        let token = u32(0)
        let tradable = UInt8(truncatingIfNeeded: token) != 9
        let mode: KiteTickMode
        switch packet.count {
        case 8: mode = .ltp
        case 28, 44: mode = .quote
        default: mode = .full
        }
        guard packet.count == length(mode, tradable: tradable) else { return nil }
        var tick = KiteTick(instrumentToken: token, mode: mode, tradable: tradable)
        tick.lastPrice = u32(4)
        guard mode != .ltp else { return tick }
        if !tradable {
            (tick.high, tick.low, tick.open, tick.close, tick.change) = (u32(8), u32(12), u32(16), u32(20), u32(24))
            if mode == .full { tick.exchangeTimestamp = u32(28) }
            return tick
        }
        (tick.lastQuantity, tick.averagePrice, tick.volume, tick.buyQuantity, tick.sellQuantity) =
            (u32(8), u32(12), u32(16), u32(20), u32(24))
        (tick.open, tick.high, tick.low, tick.close) = (u32(28), u32(32), u32(36), u32(40))
        guard mode == .full else { return tick }
        (tick.lastTradeTime, tick.oi, tick.oiDayHigh, tick.oiDayLow, tick.exchangeTimestamp) =
            (u32(44), u32(48), u32(52), u32(56), u32(60))
        for index in 0..<10 {
            let offset = 64 + index * 12
            let orders = UInt16(packet[base + offset + 8]) << 8 | UInt16(packet[base + offset + 9])
            let level = KiteTickDepth(quantity: u32(offset), price: u32(offset + 4), orders: orders)
            if index < 5 { tick.bids.append(level) } else { tick.asks.append(level) }
        }
        return tick
    }

    /// A binary frame: uint16 count, then each packet with a uint16 length prefix.
    public static func frame(_ ticks: [KiteTick]) -> [UInt8] {
        precondition(ticks.count <= Int(UInt16.max), "\(ticks.count) packets exceed one frame's uint16 count")
        var out: [UInt8] = [UInt8(ticks.count >> 8), UInt8(truncatingIfNeeded: ticks.count)]
        for tick in ticks {
            let length = KiteTickPacket.length(tick.mode, tradable: tick.tradable)
            out.append(UInt8(length >> 8))
            out.append(UInt8(truncatingIfNeeded: length))
            append(tick, to: &out)
        }
        return out
    }

    /// The packets of a frame, or nil when it is truncated or its lengths disagree; a heartbeat is `[]`.
    public static func packets(ofFrame frame: [UInt8]) -> [ArraySlice<UInt8>]? {
        if frame.count < 2 { return [] }
        let count = Int(frame[0]) << 8 | Int(frame[1])
        var index = 2
        var out: [ArraySlice<UInt8>] = []
        for _ in 0..<count {
            guard index + 2 <= frame.count else { return nil }
            let length = Int(frame[index]) << 8 | Int(frame[index + 1])
            index += 2
            guard index + length <= frame.count else { return nil }
            out.append(frame[index..<index + length])
            index += length
        }
        return index == frame.count ? out : nil
    }
}
