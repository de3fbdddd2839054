/// Writes quote entries in Kite's JSON shapes (`/quote`, `/quote/ohlc`, `/quote/ltp`).
///
/// Field order follows Zerodha's published mocks. Timestamps are 19-character IST strings;
/// `last_trade_time` is `""` when there was no trade (indices). Tradables always carry 5+5
/// depth levels, padded with zeros; indices carry empty depth arrays.
public enum KiteQuoteEncoder {
    /// Most bytes one entry can take besides its key: fixed text plus 19 numbers and 30 depth fields.
    public static let entryBytesMax = 2048

    /// Appends the JSON object for `quote` in `kind`'s shape.
    public static func append(_ quote: KiteQuote, kind: KiteQuoteKind, to out: inout [UInt8]) {
        out.append(contentsOf: KiteByteWriter.build(capacity: entryBytesMax) { write(quote, kind: kind, to: &$0) })
    }

    /// Writes the JSON object for `quote` in `kind`'s shape (at most `entryBytesMax` bytes).
    @inlinable
    public static func write(_ quote: KiteQuote, kind: KiteQuoteKind, to out: inout KiteByteWriter) {
        typealias W = KiteByteWriter
        // A cursor in a register between the timestamps (see `KiteByteWriter+Cursor`).
        var p = W.put(#"{"instrument_token":"#, at: out.pointer + out.position)
        p = W.putUnsigned(UInt64(quote.instrumentToken), at: p)
        if kind == .full {
            p = W.put(#","timestamp":""#, at: p)
            out.position = p - out.pointer
            out.timestamp19(quote.exchangeTime, slot: 0)
            out.raw(#"","last_trade_time":""#)
            if let lastTradeTime = quote.lastTradeTime { out.timestamp19(lastTradeTime, slot: 1) }
            out.byte(0x22)
            p = out.pointer + out.position
        }
        p = W.put(#","last_price":"#, at: p)
        p = W.putPaise(quote.lastPricePaise, at: p)
        if kind == .full {
            p = W.put(#","last_quantity":"#, at: p)
            p = W.putInt(quote.lastQuantity, at: p)
            p = W.put(#","buy_quantity":"#, at: p)
            p = W.putInt(quote.buyQuantity, at: p)
            p = W.put(#","sell_quantity":"#, at: p)
            p = W.putInt(quote.sellQuantity, at: p)
            p = W.put(#","volume":"#, at: p)
            p = W.putInt(quote.volume, at: p)
            p = W.put(#","average_price":"#, at: p)
            p = W.putPaise(quote.averagePricePaise, at: p)
            p = W.put(#","oi":"#, at: p)
            p = W.putInt(quote.oi, at: p)
            p = W.put(#","oi_day_high":"#, at: p)
            p = W.putInt(quote.oiDayHigh, at: p)
            p = W.put(#","oi_day_low":"#, at: p)
            p = W.putInt(quote.oiDayLow, at: p)
            p = W.put(#","net_change":"#, at: p)
            p = W.putPaise(quote.netChangePaise, at: p)
            p = W.put(#","lower_circuit_limit":"#, at: p)
            p = W.putPaise(quote.lowerCircuitPaise, at: p)
            p = W.put(#","upper_circuit_limit":"#, at: p)
            p = W.putPaise(quote.upperCircuitPaise, at: p)
        }
        if kind != .ltp {
            p = W.put(#","ohlc":{"open":"#, at: p)
            p = W.putPaise(quote.openPaise, at: p)
            p = W.put(#","high":"#, at: p)
            p = W.putPaise(quote.highPaise, at: p)
            p = W.put(#","low":"#, at: p)
            p = W.putPaise(quote.lowPaise, at: p)
            p = W.put(#","close":"#, at: p)
            p = W.putPaise(quote.closePaise, at: p)
            p = W.put("}", at: p)
        }
        if kind == .full {
            let tradable = UInt8(truncatingIfNeeded: quote.instrumentToken) != 9
            p = W.put(#","depth":{"buy":["#, at: p)
            if tradable { p = writeLevels(quote.bids, at: p) }
            p = W.put(#"],"sell":["#, at: p)
            if tradable { p = writeLevels(quote.asks, at: p) }
            p = W.put("]}", at: p)
        }
        p = W.put("}", at: p)
        out.position = p - out.pointer
    }

    /// Five levels, best first, padded with empty ones (the zero slots past `count`).
    @inlinable @inline(__always)
    static func writeLevels(_ levels: KiteDepthLevels, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = KiteByteWriter.put(#"{"price":"#, at: start)
        p = writeLevel(levels.slots.0, at: p)
        p = KiteByteWriter.put(#"},{"price":"#, at: p)
        p = writeLevel(levels.slots.1, at: p)
        p = KiteByteWriter.put(#"},{"price":"#, at: p)
        p = writeLevel(levels.slots.2, at: p)
        p = KiteByteWriter.put(#"},{"price":"#, at: p)
        p = writeLevel(levels.slots.3, at: p)
        p = KiteByteWriter.put(#"},{"price":"#, at: p)
        p = writeLevel(levels.slots.4, at: p)
        return KiteByteWriter.put("}", at: p)
    }

    /// A level's fields after its opening `{"price":`.
    @inlinable @inline(__always)
    static func writeLevel(_ level: KiteDepthLevel, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = KiteByteWriter.putPaise(level.pricePaise, at: start)
        p = KiteByteWriter.put(#","quantity":"#, at: p)
        p = KiteByteWriter.putInt(level.quantity, at: p)
        p = KiteByteWriter.put(#","orders":"#, at: p)
        return KiteByteWriter.putSmallInt(level.orders, at: p)
    }
}
