import Glibc

/// The quote path's fast decoder: a success envelope of a quote map straight into `BrokerQuote`s.
///
/// No JSON tree is built; keys are matched as bytes and prices land in exact paise. Members
/// may come in any order and unknown ones are skipped, so a future field does not break it.
/// An envelope that is not a success (or carries `error_type`) is reported as `.notSuccess`
/// for the slow error path.
enum KiteQuoteDecoder {
    enum Outcome {
        case quotes([BrokerQuote])
        case notSuccess
    }

    static func decode(_ body: [UInt8], httpStatus: Int) throws(BrokerError) -> Outcome {
        let result: Result<Outcome, BrokerError> = body.withUnsafeBufferPointer { buffer in
            var scanner = KiteByteScanner(buffer, httpStatus: httpStatus)
            do throws(BrokerError) {
                return .success(try decodeEnvelope(&scanner))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decodeEnvelope(_ scanner: inout KiteByteScanner) throws(BrokerError) -> Outcome {
        var success = false
        var failed = false
        var quotes: [BrokerQuote] = []
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
                quotes = try decodeMap(&scanner)
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
        return .quotes(quotes)
    }

    private static func decodeMap(_ scanner: inout KiteByteScanner) throws(BrokerError) -> [BrokerQuote] {
        var quotes: [BrokerQuote] = []
        guard try scanner.open(0x7B, close: 0x7D, "the quote map") else { return quotes }
        quotes.reserveCapacity(scanner.bytes.count / 600 + 1)
        repeat {
            let key = try scanner.string()
            try scanner.expect(0x3A, "':' after a quote key")
            quotes.append(try decodeQuote(&scanner, key: key))
        } while try scanner.nextMember(close: 0x7D)
        return quotes
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

    private static func decodeQuote(_ scanner: inout KiteByteScanner, key: String) throws(BrokerError) -> BrokerQuote {
        var quote = BrokerQuote(key: key, instrumentToken: 0)
        var sawToken = false
        guard try scanner.open(0x7B, close: 0x7D, "a quote object for '\(key)'") else {
            throw BrokerError.malformedResponse(reason: "empty quote object for '\(key)'", httpStatus: scanner.httpStatus)
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
                    throw BrokerError.malformedResponse(reason: "instrument_token \(token) of '\(key)' is not a 32-bit token", httpStatus: scanner.httpStatus)
                }
                quote.instrumentToken = narrow
                sawToken = true
            case .timestamp: quote.timestamp = try scanner.istTimestamp()
            case .lastTradeTime: quote.lastTradeTime = try scanner.istTimestamp()
            case .lastPrice: quote.lastPricePaise = try scanner.scaled(2)
            case .lastQuantity: quote.lastQuantity = try scanner.scaled(0)
            case .buyQuantity: quote.buyQuantity = try scanner.scaled(0)
            case .sellQuantity: quote.sellQuantity = try scanner.scaled(0)
            case .volume: quote.volume = try scanner.scaled(0)
            case .averagePrice: quote.averagePricePaise = try scanner.scaled(2)
            case .oi: quote.oi = try scanner.scaled(0)
            case .oiDayHigh: quote.oiDayHigh = try scanner.scaled(0)
            case .oiDayLow: quote.oiDayLow = try scanner.scaled(0)
            case .netChange: quote.netChangePaise = try scanner.scaled(2)
            case .lowerCircuitLimit: quote.lowerCircuitPaise = try scanner.scaled(2)
            case .upperCircuitLimit: quote.upperCircuitPaise = try scanner.scaled(2)
            case .ohlc: try decodeOHLC(&scanner, into: &quote)
            case .depth: try decodeDepth(&scanner, into: &quote)
            case nil: try scanner.skipValue()
            }
        } while try scanner.nextMember(close: 0x7D)
        guard sawToken else {
            throw BrokerError.malformedResponse(reason: "quote for '\(key)' has no instrument_token", httpStatus: scanner.httpStatus)
        }
        return quote
    }

    private static func decodeOHLC(_ scanner: inout KiteByteScanner, into quote: inout BrokerQuote) throws(BrokerError) {
        if try scanner.null() { return }
        guard try scanner.open(0x7B, close: 0x7D, "an ohlc object") else { return }
        repeat {
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
        } while try scanner.nextMember(close: 0x7D)
    }

    private static func decodeDepth(_ scanner: inout KiteByteScanner, into quote: inout BrokerQuote) throws(BrokerError) {
        if try scanner.null() { return }
        guard try scanner.open(0x7B, close: 0x7D, "a depth object") else { return }
        repeat {
            let field = try scanner.key()
            if scanner.keyEquals(field, "buy") {
                quote.bids = try decodeLevels(&scanner)
            } else if scanner.keyEquals(field, "sell") {
                quote.asks = try decodeLevels(&scanner)
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember(close: 0x7D)
    }

    private static func decodeLevels(_ scanner: inout KiteByteScanner) throws(BrokerError) -> [BrokerDepthLevel] {
        if try scanner.null() { return [] }
        var levels: [BrokerDepthLevel] = []
        guard try scanner.open(0x5B, close: 0x5D, "an array of depth levels") else { return levels }
        levels.reserveCapacity(5)
        repeat {
            var level = BrokerDepthLevel(pricePaise: 0, quantity: 0, orders: 0)
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
            guard levels.count < 64 else { throw scanner.fail("at most 64 depth levels") }
            levels.append(level)
        } while try scanner.nextMember(close: 0x5D)
        return levels
    }
}
