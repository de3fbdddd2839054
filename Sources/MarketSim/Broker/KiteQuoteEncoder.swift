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
        out.raw(#"{"instrument_token":"#)
        out.unsigned(UInt64(quote.instrumentToken))
        if kind == .full {
            out.raw(#","timestamp":""#)
            out.timestamp19(quote.exchangeTime, slot: 0)
            out.raw(#"","last_trade_time":""#)
            if let lastTradeTime = quote.lastTradeTime { out.timestamp19(lastTradeTime, slot: 1) }
            out.byte(0x22)
        }
        out.raw(#","last_price":"#)
        out.paise(quote.lastPricePaise)
        if kind == .full {
            out.raw(#","last_quantity":"#)
            out.int(quote.lastQuantity)
            out.raw(#","buy_quantity":"#)
            out.int(quote.buyQuantity)
            out.raw(#","sell_quantity":"#)
            out.int(quote.sellQuantity)
            out.raw(#","volume":"#)
            out.int(quote.volume)
            out.raw(#","average_price":"#)
            out.paise(quote.averagePricePaise)
            out.raw(#","oi":"#)
            out.int(quote.oi)
            out.raw(#","oi_day_high":"#)
            out.int(quote.oiDayHigh)
            out.raw(#","oi_day_low":"#)
            out.int(quote.oiDayLow)
            out.raw(#","net_change":"#)
            out.paise(quote.netChangePaise)
            out.raw(#","lower_circuit_limit":"#)
            out.paise(quote.lowerCircuitPaise)
            out.raw(#","upper_circuit_limit":"#)
            out.paise(quote.upperCircuitPaise)
        }
        if kind != .ltp {
            out.raw(#","ohlc":{"open":"#)
            out.paise(quote.openPaise)
            out.raw(#","high":"#)
            out.paise(quote.highPaise)
            out.raw(#","low":"#)
            out.paise(quote.lowPaise)
            out.raw(#","close":"#)
            out.paise(quote.closePaise)
            out.byte(0x7D)
        }
        if kind == .full {
            let tradable = UInt8(truncatingIfNeeded: quote.instrumentToken) != 9
            out.raw(#","depth":{"buy":["#)
            if tradable { writeLevels(quote.bids, to: &out) }
            out.raw(#"],"sell":["#)
            if tradable { writeLevels(quote.asks, to: &out) }
            out.raw("]}")
        }
        out.byte(0x7D)
    }

    /// Five levels, best first, padded with empty ones (the zero slots past `count`).
    @inlinable @inline(__always)
    static func writeLevels(_ levels: KiteDepthLevels, to out: inout KiteByteWriter) {
        out.raw(#"{"price":"#)
        writeLevel(levels.slots.0, to: &out)
        out.raw(#"},{"price":"#)
        writeLevel(levels.slots.1, to: &out)
        out.raw(#"},{"price":"#)
        writeLevel(levels.slots.2, to: &out)
        out.raw(#"},{"price":"#)
        writeLevel(levels.slots.3, to: &out)
        out.raw(#"},{"price":"#)
        writeLevel(levels.slots.4, to: &out)
        out.byte(0x7D)
    }

    /// A level's fields after its opening `{"price":`.
    @inlinable @inline(__always)
    static func writeLevel(_ level: KiteDepthLevel, to out: inout KiteByteWriter) {
        out.paise(level.pricePaise)
        out.raw(#","quantity":"#)
        out.int(level.quantity)
        out.raw(#","orders":"#)
        out.int(level.orders)
    }
}
