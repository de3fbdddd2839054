import Glibc

/// The quote path's fast decoder: a success envelope of a quote map straight into quote values.
///
/// No JSON tree is built; keys are matched as bytes and prices land in exact paise. Members
/// may come in any order and unknown ones are skipped, so a future field does not break it.
/// An envelope that is not a success (or carries `error_type`) is reported as `.notSuccess`
/// for the slow error path. Two outputs share one parse, so they accept and reject exactly the
/// same bytes with the same errors: full `BrokerQuote`s (`decode`), or `BrokerQuoteTop`s matched
/// to the requested keys without building strings or depth arrays (`decodeTops`). The tops path first
/// tries the expected key and `CanonicalTopReader` on each member; what they decline is read as above.
enum KiteQuoteDecoder {
    enum Outcome<Quotes> {
        case quotes(Quotes)
        case notSuccess
    }

    /// Every quote in full, in the response's order. `canonical: false` skips the canonical-layout
    /// reader (tests use it as the reference the fast path must match).
    static func decode(_ body: [UInt8], httpStatus: Int, canonical: Bool = true) throws(BrokerError) -> Outcome<[BrokerQuote]> {
        var sink = FullSink()
        return try run(body, httpStatus: httpStatus, canonical: canonical, sink: &sink).map { sink.quotes }
    }

    /// Every quote's top, matched to `keys`; `expectedFirst` is where matching starts looking.
    static func decodeTops(_ body: [UInt8], httpStatus: Int, keys: QuoteKeyIndex, expectedFirst: Int) throws(BrokerError)
        -> Outcome<MatchedQuotes>
    {
        var memo = QuoteTapeMemo()
        return try decodeTops(body, httpStatus: httpStatus, keys: keys, expectedFirst: expectedFirst, memo: &memo)
    }

    /// `decodeTops`, comparing each quote's tape with what `memo` remembers of its key's slot first and
    /// remembering what it reads (slots only for keys `memo` has been prepared for): the same result whatever
    /// `memo` holds.
    static func decodeTops(_ body: [UInt8], httpStatus: Int, keys: QuoteKeyIndex, expectedFirst: Int, memo: inout QuoteTapeMemo)
        throws(BrokerError) -> Outcome<MatchedQuotes>
    {
        let result: Result<Outcome<MatchedQuotes>, BrokerError> = keys.quotedKeys.withUnsafeBufferPointer { quoted in
            keys.quotedEnds.withUnsafeBufferPointer { quotedEnds in
                keys.firstPositions.withUnsafeBufferPointer { firstPositions in
                    memo.bytes.withUnsafeMutableBufferPointer { tape in
                        memo.entries.withUnsafeMutableBufferPointer { entries in
                            var sink = TopSink(keys: keys, expectedFirst: expectedFirst, quoted: quoted, quotedEnds: quotedEnds,
                                               firstPositions: firstPositions, tape: tape, tapeEntries: entries)
                            do throws(BrokerError) {
                                return .success(try run(body, httpStatus: httpStatus, canonical: true, sink: &sink).map { sink.result })
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                }
            }
        }
        return try result.get()
    }

    private static func run<Sink: QuoteMapSink>(_ body: [UInt8], httpStatus: Int, canonical: Bool, sink: inout Sink) throws(BrokerError)
        -> Outcome<Void>
    {
        let result: Result<Outcome<Void>, BrokerError> = body.withUnsafeBufferPointer { buffer in
            var scanner = KiteByteScanner(buffer, httpStatus: httpStatus)
            do throws(BrokerError) {
                return .success(try decodeEnvelope(&scanner, canonical: canonical, sink: &sink))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decodeEnvelope<Sink: QuoteMapSink>(_ scanner: inout KiteByteScanner, canonical: Bool, sink: inout Sink)
        throws(BrokerError) -> Outcome<Void>
    {
        var success = false
        var failed = false
        guard try scanner.open(0x7B, close: 0x7D, "a JSON object envelope") else {
            throw BrokerError.malformedResponse(reason: "empty envelope: no `status` or `data`", httpStatus: scanner.httpStatus)
        }
        var sawData = false
        repeat {
            let key = try scanner.key()
            if scanner.keyEquals(key, "status") {
                let status = try scanner.rawString()
                success = scanner.keyEquals(status, "success")
                failed = !success
            } else if scanner.keyEquals(key, "data"), try scanner.peek() == 0x7B {
                sawData = true
                try decodeMap(&scanner, canonical: canonical, sink: &sink)
            } else if scanner.keyEquals(key, "error_type") {
                failed = true
                try scanner.skipValue()
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember(close: 0x7D)
        scanner.skipWhitespace()
        guard scanner.index == scanner.bytes.count else { throw scanner.fail("the end of the response") }
        if failed || !success { return .notSuccess }
        guard sawData else {
            throw BrokerError.malformedResponse(reason: "success envelope without a `data` object", httpStatus: scanner.httpStatus)
        }
        return .quotes(())
    }

    /// A `data` map replaces whatever an earlier `data` member produced.
    private static func decodeMap<Sink: QuoteMapSink>(_ scanner: inout KiteByteScanner, canonical: Bool, sink: inout Sink)
        throws(BrokerError)
    {
        sink.reset(bodyBytes: scanner.bytes.count)
        guard try scanner.open(0x7B, close: 0x7D, "the quote map") else { return }
        var bids: [BrokerDepthLevel] = []
        var asks: [BrokerDepthLevel] = []
        repeat {
            if sink.addExpected(&scanner) { continue }
            let key = try QuoteKeyText(&scanner)
            try scanner.expect(0x3A, "':' after a quote key")
            let fields = try decodeQuote(&scanner, key: key, canonical: canonical, keepDepth: Sink.keepsDepth, bids: &bids, asks: &asks)
            sink.add(fields, key: key, bids: bids, asks: asks, bytes: scanner.bytes)
        } while try scanner.nextMember(close: 0x7D)
    }

    /// Quote fields in the order Kite (and the mock) write them; the decoder tries the next one first.
    enum QuoteField: Int, CaseIterable {
        case instrumentToken, timestamp, lastTradeTime, lastPrice, lastQuantity, buyQuantity, sellQuantity, volume
        case averagePrice, oi, oiDayHigh, oiDayLow, netChange, lowerCircuitLimit, upperCircuitLimit, ohlc, depth

        /// `"name":`, the bytes the in-order fast path compares (static, so no reference counting).
        var pattern: StaticString {
            switch self {
            case .instrumentToken: return #""instrument_token":"#
            case .timestamp: return #""timestamp":"#
            case .lastTradeTime: return #""last_trade_time":"#
            case .lastPrice: return #""last_price":"#
            case .lastQuantity: return #""last_quantity":"#
            case .buyQuantity: return #""buy_quantity":"#
            case .sellQuantity: return #""sell_quantity":"#
            case .volume: return #""volume":"#
            case .averagePrice: return #""average_price":"#
            case .oi: return #""oi":"#
            case .oiDayHigh: return #""oi_day_high":"#
            case .oiDayLow: return #""oi_day_low":"#
            case .netChange: return #""net_change":"#
            case .lowerCircuitLimit: return #""lower_circuit_limit":"#
            case .upperCircuitLimit: return #""upper_circuit_limit":"#
            case .ohlc: return #""ohlc":"#
            case .depth: return #""depth":"#
            }
        }
    }

    /// The field named by a key read the slow way, or nil for an unknown key.
    static func field(_ key: (start: Int, end: Int, escaped: Bool), _ scanner: KiteByteScanner) -> QuoteField? {
        let length = key.end - key.start
        for field in QuoteField.allCases where field.pattern.utf8CodeUnitCount == length + 3 {
            if KiteByteScanner.equal(scanner.bytes.baseAddress! + key.start, field.pattern.utf8Start + 1, length) {
                return field
            }
        }
        return nil
    }

    /// Reads one quote object. Depth levels go to `bids`/`asks` only when `keepDepth`; the best
    /// level of each side is always kept in the fields.
    @inline(__always)
    private static func decodeQuote(_ scanner: inout KiteByteScanner, key: QuoteKeyText, canonical: Bool, keepDepth: Bool,
                                    bids: inout [BrokerDepthLevel], asks: inout [BrokerDepthLevel]) throws(BrokerError)
        -> QuoteFields
    {
        var quote = QuoteFields()
        scanner.skipWhitespace()
        if canonical, CanonicalQuoteReader.read(&scanner, into: &quote, keepDepth: keepDepth, bids: &bids, asks: &asks) {
            return quote
        }
        if keepDepth {
            bids = []
            asks = []
        }
        var sawToken = false
        guard scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] == 0x7B else {
            throw scanner.fail("a quote object for '\(key.text(scanner))'")
        }
        guard try scanner.open(0x7B, close: 0x7D, "a quote object") else {
            throw BrokerError.malformedResponse(reason: "empty quote object for '\(key.text(scanner))'", httpStatus: scanner.httpStatus)
        }
        var expected = 0
        repeat {
            let field: QuoteField?
            if let next = QuoteField(rawValue: expected), scanner.consume(next.pattern) {
                field = next
            } else {
                field = KiteQuoteDecoder.field(try scanner.key(), scanner)
            }
            if let field { expected = field.rawValue + 1 }
            switch field {
            case .instrumentToken:
                let token = try scanner.scaled(0)
                guard let narrow = UInt32(exactly: token) else {
                    throw BrokerError.malformedResponse(reason: "instrument_token \(token) of '\(key.text(scanner))' is not a 32-bit token",
                                                        httpStatus: scanner.httpStatus)
                }
                quote.top.instrumentToken = narrow
                sawToken = true
            case .timestamp: quote.top.timestamp = try scanner.istTimestamp()
            case .lastTradeTime: quote.top.lastTradeTime = try scanner.istTimestamp()
            case .lastPrice: quote.top.lastPricePaise = try scanner.scaled(2)
            case .lastQuantity: quote.lastQuantity = try scanner.scaled(0)
            case .buyQuantity: quote.buyQuantity = try scanner.scaled(0)
            case .sellQuantity: quote.sellQuantity = try scanner.scaled(0)
            case .volume: quote.top.volume = try scanner.scaled(0)
            case .averagePrice: quote.averagePricePaise = try scanner.scaled(2)
            case .oi: quote.top.oi = try scanner.scaled(0)
            case .oiDayHigh: quote.oiDayHigh = try scanner.scaled(0)
            case .oiDayLow: quote.oiDayLow = try scanner.scaled(0)
            case .netChange: quote.netChangePaise = try scanner.scaled(2)
            case .lowerCircuitLimit: quote.lowerCircuitPaise = try scanner.scaled(2)
            case .upperCircuitLimit: quote.upperCircuitPaise = try scanner.scaled(2)
            case .ohlc: try decodeOHLC(&scanner, into: &quote)
            case .depth: try decodeDepth(&scanner, into: &quote, keepDepth: keepDepth, bids: &bids, asks: &asks)
            case nil: try scanner.skipValue()
            }
        } while try scanner.nextMember(close: 0x7D)
        guard sawToken else {
            throw BrokerError.malformedResponse(reason: "quote for '\(key.text(scanner))' has no instrument_token",
                                                httpStatus: scanner.httpStatus)
        }
        return quote
    }

    private static func decodeOHLC(_ scanner: inout KiteByteScanner, into quote: inout QuoteFields) throws(BrokerError) {
        if try scanner.null() { return }
        guard try scanner.open(0x7B, close: 0x7D, "an ohlc object") else { return }
        repeat {
            // The usual spelling first (no blank before ':'); anything else goes through `key()`.
            if scanner.consume(#""open":"#) {
                quote.openPaise = try scanner.scaled(2)
            } else if scanner.consume(#""high":"#) {
                quote.highPaise = try scanner.scaled(2)
            } else if scanner.consume(#""low":"#) {
                quote.lowPaise = try scanner.scaled(2)
            } else if scanner.consume(#""close":"#) {
                quote.closePaise = try scanner.scaled(2)
            } else {
                let field = try scanner.key()
                if scanner.keyEquals(field, "open") {
                    quote.openPaise = try scanner.scaled(2)
                } else if scanner.keyEquals(field, "high") {
                    quote.highPaise = try scanner.scaled(2)
                } else if scanner.keyEquals(field, "low") {
                    quote.lowPaise = try scanner.scaled(2)
                } else if scanner.keyEquals(field, "close") {
                    quote.closePaise = try scanner.scaled(2)
                } else {
                    try scanner.skipValue()
                }
            }
        } while try scanner.nextMember(close: 0x7D)
    }

    private static func decodeDepth(_ scanner: inout KiteByteScanner, into quote: inout QuoteFields, keepDepth: Bool,
                                    bids: inout [BrokerDepthLevel], asks: inout [BrokerDepthLevel]) throws(BrokerError) {
        if try scanner.null() { return }
        guard try scanner.open(0x7B, close: 0x7D, "a depth object") else { return }
        repeat {
            let field = try scanner.key()
            if scanner.keyEquals(field, "buy") {
                quote.bid = try decodeLevels(&scanner, keep: keepDepth, into: &bids)
            } else if scanner.keyEquals(field, "sell") {
                quote.ask = try decodeLevels(&scanner, keep: keepDepth, into: &asks)
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember(close: 0x7D)
    }

    /// Reads a depth array: returns its best level (zero when empty) and, when `keep`, replaces
    /// `levels` with all of them.
    private static func decodeLevels(_ scanner: inout KiteByteScanner, keep: Bool, into levels: inout [BrokerDepthLevel])
        throws(BrokerError) -> BrokerDepthLevel
    {
        let zero = BrokerDepthLevel(pricePaise: 0, quantity: 0, orders: 0)
        if keep { levels = [] }
        if try scanner.null() { return zero }
        guard try scanner.open(0x5B, close: 0x5D, "an array of depth levels") else { return zero }
        if keep { levels.reserveCapacity(5) }
        var best = zero
        var count = 0
        repeat {
            var level = zero
            if try scanner.open(0x7B, close: 0x7D, "a depth level object") {
                repeat {
                    if scanner.consume(#""price":"#) {
                        level.pricePaise = try scanner.scaled(2)
                    } else if scanner.consume(#""quantity":"#) {
                        level.quantity = try scanner.scaled(0)
                    } else if scanner.consume(#""orders":"#) {
                        level.orders = try scanner.scaled(0)
                    } else {
                        _ = try scanner.key()
                        try scanner.skipValue()
                    }
                } while try scanner.nextMember(close: 0x7D)
            }
            guard count < 64 else { throw scanner.fail("at most 64 depth levels") }
            if count == 0 { best = level }
            if keep { levels.append(level) }
            count += 1
        } while try scanner.nextMember(close: 0x5D)
        return best
    }
}

extension KiteQuoteDecoder.Outcome {
    fileprivate func map<Other>(_ transform: () -> Other) -> KiteQuoteDecoder.Outcome<Other> {
        switch self {
        case .quotes: return .quotes(transform())
        case .notSuccess: return .notSuccess
        }
    }
}
