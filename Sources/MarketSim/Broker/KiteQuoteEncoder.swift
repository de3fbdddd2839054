/// Writes quote entries in Kite's JSON shapes (`/quote`, `/quote/ohlc`, `/quote/ltp`).
///
/// Field order follows Zerodha's published mocks. Timestamps are 19-character IST strings;
/// `last_trade_time` is `""` when there was no trade (indices). Tradables always carry 5+5
/// depth levels, padded with zeros; indices carry empty depth arrays.
public enum KiteQuoteEncoder {
    /// Appends the JSON object for `quote` in `kind`'s shape.
    public static func append(_ quote: KiteQuote, kind: KiteQuoteKind, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"instrument_token":"#.utf8)
        KiteJSON.appendInt(Int64(quote.instrumentToken), to: &out)
        if kind == .full {
            out.append(contentsOf: #","timestamp":""#.utf8)
            KiteTime.appendTimestamp19(quote.exchangeTime, to: &out)
            out.append(contentsOf: #"","last_trade_time":""#.utf8)
            if let lastTradeTime = quote.lastTradeTime { KiteTime.appendTimestamp19(lastTradeTime, to: &out) }
            out.append(0x22)
        }
        out.append(contentsOf: #","last_price":"#.utf8)
        KiteJSON.appendPaise(quote.lastPricePaise, to: &out)
        if kind == .full {
            out.append(contentsOf: #","last_quantity":"#.utf8)
            KiteJSON.appendInt(quote.lastQuantity, to: &out)
            out.append(contentsOf: #","buy_quantity":"#.utf8)
            KiteJSON.appendInt(quote.buyQuantity, to: &out)
            out.append(contentsOf: #","sell_quantity":"#.utf8)
            KiteJSON.appendInt(quote.sellQuantity, to: &out)
            out.append(contentsOf: #","volume":"#.utf8)
            KiteJSON.appendInt(quote.volume, to: &out)
            out.append(contentsOf: #","average_price":"#.utf8)
            KiteJSON.appendPaise(quote.averagePricePaise, to: &out)
            out.append(contentsOf: #","oi":"#.utf8)
            KiteJSON.appendInt(quote.oi, to: &out)
            out.append(contentsOf: #","oi_day_high":"#.utf8)
            KiteJSON.appendInt(quote.oiDayHigh, to: &out)
            out.append(contentsOf: #","oi_day_low":"#.utf8)
            KiteJSON.appendInt(quote.oiDayLow, to: &out)
            out.append(contentsOf: #","net_change":"#.utf8)
            KiteJSON.appendPaise(quote.netChangePaise, to: &out)
            out.append(contentsOf: #","lower_circuit_limit":"#.utf8)
            KiteJSON.appendPaise(quote.lowerCircuitPaise, to: &out)
            out.append(contentsOf: #","upper_circuit_limit":"#.utf8)
            KiteJSON.appendPaise(quote.upperCircuitPaise, to: &out)
        }
        if kind != .ltp {
            out.append(contentsOf: #","ohlc":{"open":"#.utf8)
            KiteJSON.appendPaise(quote.openPaise, to: &out)
            out.append(contentsOf: #","high":"#.utf8)
            KiteJSON.appendPaise(quote.highPaise, to: &out)
            out.append(contentsOf: #","low":"#.utf8)
            KiteJSON.appendPaise(quote.lowPaise, to: &out)
            out.append(contentsOf: #","close":"#.utf8)
            KiteJSON.appendPaise(quote.closePaise, to: &out)
            out.append(0x7D)
        }
        if kind == .full {
            let tradable = UInt8(truncatingIfNeeded: quote.instrumentToken) != 9
            out.append(contentsOf: #","depth":{"buy":["#.utf8)
            if tradable { appendLevels(quote.bids, to: &out) }
            out.append(contentsOf: #"],"sell":["#.utf8)
            if tradable { appendLevels(quote.asks, to: &out) }
            out.append(contentsOf: "]}".utf8)
        }
        out.append(0x7D)
    }

    /// Five levels, best first, padded with empty ones.
    private static func appendLevels(_ levels: [KiteDepthLevel], to out: inout [UInt8]) {
        for position in 0..<5 {
            if position > 0 { out.append(0x2C) }
            let level = position < levels.count ? levels[position] : .empty
            out.append(contentsOf: #"{"price":"#.utf8)
            KiteJSON.appendPaise(level.pricePaise, to: &out)
            out.append(contentsOf: #","quantity":"#.utf8)
            KiteJSON.appendInt(level.quantity, to: &out)
            out.append(contentsOf: #","orders":"#.utf8)
            KiteJSON.appendInt(level.orders, to: &out)
            out.append(0x7D)
        }
    }
}
