/// The market's quotes in the broker's shape, encoded where they are built.
extension Market {
    /// Writes the `/quote` entry of `token` at `second` (a result of `secondOfSession(_:)`) in
    /// `kind`'s shape and returns true, or writes nothing and returns false when the session does
    /// not list `token`.
    ///
    /// The same bytes as encoding `KiteQuote(quote(token:tradedSecond:cache:)!, token:)`; here the
    /// quote is built, converted and encoded in one place, so neither is copied on the way.
    public func writeKiteQuote(
        token: UInt32, tradedSecond second: Int, cache: QuoteCache?, kind: KiteQuoteKind, to out: inout KiteByteWriter
    ) -> Bool {
        if kind == .full, let cache, UInt8(truncatingIfNeeded: token) != 9, let id = contractIDs[Int64(token)] {
            writeFullKiteQuote(token: token, id: id, second: second, cache: cache, to: &out)
            return true
        }
        guard let quote = quote(token: Int64(token), tradedSecond: second, cache: cache) else { return false }
        KiteQuoteEncoder.write(KiteQuote(quote, token: token), kind: kind, to: &out)
        return true
    }
}

extension KiteQuote {
    /// The broker's view of the market's quote of `token`: circuit limits at 1/5 and 3× the close.
    @inline(__always)
    public init(_ quote: MarketQuote, token: UInt32) {
        self.init(
            instrumentToken: token, exchangeTime: KiteInstant(nanosecondsSinceEpoch: quote.time.nanosecondsSinceEpoch),
            lastTradeTime: quote.lastTradeTime.map { KiteInstant(nanosecondsSinceEpoch: $0.nanosecondsSinceEpoch) },
            lastPricePaise: quote.lastPricePaise, lastQuantity: quote.lastQuantity, averagePricePaise: quote.averagePricePaise,
            volume: quote.volume, buyQuantity: quote.buyQuantity, sellQuantity: quote.sellQuantity, openPaise: quote.openPaise,
            highPaise: quote.highPaise, lowPaise: quote.lowPaise, closePaise: quote.closePaise, oi: quote.openInterest,
            oiDayHigh: quote.openInterestDayHigh, oiDayLow: quote.openInterestDayLow,
            lowerCircuitPaise: max(5, quote.closePaise / 5), upperCircuitPaise: quote.closePaise * 3 + 500,
            bids: quote.buyDepth, asks: quote.sellDepth)
    }
}
