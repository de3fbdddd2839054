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

    /// Runs `body` with a writer of `/quote` entries at `second` (a result of
    /// `secondOfSession(_:)`), as `writeKiteQuote(token:tradedSecond:cache:kind:to:)` writes them,
    /// holding `cache`'s lock once for the whole of `body` rather than once per entry. `body` must
    /// not ask `cache` anything else, directly or through this market (`quote(token:at:cache:)`,
    /// `writeKiteQuote`, another `withKiteQuoteWriter`): the lock is not reentrant, so that traps or
    /// deadlocks.
    public func withKiteQuoteWriter<Result>(
        tradedSecond second: Int, cache: QuoteCache, _ body: (KiteQuoteWriter) -> Result
    ) -> Result {
        cache.withLockedState(self) { state in
            body { token, kind, out in
                writeKiteQuote(token: token, tradedSecond: second, cache: cache, state: &state, kind: kind, to: &out)
            }
        }
    }

    /// `writeKiteQuote(token:tradedSecond:cache:kind:to:)` with `cache`'s state already locked.
    @inline(__always)
    func writeKiteQuote(
        token: UInt32, tradedSecond second: Int, cache: QuoteCache, state: inout QuoteCache.State, kind: KiteQuoteKind,
        to out: inout KiteByteWriter
    ) -> Bool {
        if kind == .full, UInt8(truncatingIfNeeded: token) != 9, let id = contractIDs[Int64(token)] {
            writeFullKiteQuote(token: token, id: id, second: second, cache: cache, state: &state, to: &out)
            return true
        }
        let answered = quote(token: Int64(token), tradedSecond: second) { id in
            let answer = state.answer(self, id: id, second: second)
            return (answer.quote, answer.cursor.pointee.tape, answer.cursor.pointee.openTicks)
        }
        guard let quote = answered else { return false }
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
