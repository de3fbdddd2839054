/// Parses Kite's instruments dump (CSV, 12 named columns) into `BrokerInstrument`s.
///
/// Columns are found by their header names, so a reordered dump still parses; every row must
/// have all 12 fields. Numbers are read exactly (prices to paise). Errors name the line.
enum KiteInstrumentsParser {
    static let columns = ["instrument_token", "exchange_token", "tradingsymbol", "name", "last_price", "expiry",
                          "strike", "tick_size", "lot_size", "instrument_type", "segment", "exchange"]

    /// Read byte by byte: lines end at `\n`, `\r\n` or `\r` (empty lines are skipped) and fields at
    /// `,` outside quotes; only the text columns become `String`s and numbers are read from the bytes
    /// (the collector reads a dump of tens of thousands of rows at every rediscovery). A `,` or `"` is
    /// a separator or quote wherever it stands, as RFC 4180 reads it, even next to a combining mark,
    /// a joiner or a prepended character (the `String`-based parser this replaced saw such a pair as
    /// one `Character`, and so as text); Kite's dumps are ASCII.
    static func parse(_ body: [UInt8], httpStatus: Int) throws(BrokerError) -> [BrokerInstrument] {
        // The dump is ASCII in practice; anything else is checked as UTF-8 once.
        guard body.allSatisfy({ $0 < 0x80 }) || String(validating: body, as: UTF8.self) != nil else {
            throw .malformedResponse(reason: "instruments dump is not valid UTF-8", httpStatus: httpStatus)
        }
        return try body.withUnsafeBufferPointer { (bytes) throws(BrokerError) -> [BrokerInstrument] in
            var lines = LineCursor(bytes: bytes)
            guard let headerLine = lines.next() else {
                throw .malformedResponse(reason: "instruments dump is empty (no header row)", httpStatus: httpStatus)
            }
            var row = Fields()
            try row.split(bytes, headerLine, line: 1, httpStatus: httpStatus)
            let header = (0..<row.count).map { row.string($0) }
            var position: [Int] = []
            for column in columns {
                guard let index = header.firstIndex(of: column) else {
                    throw .malformedResponse(reason: "instruments header lacks column `\(column)`", httpStatus: httpStatus)
                }
                position.append(index)
            }
            var instruments: [BrokerInstrument] = []
            var lineNumber = 1
            while let line = lines.next() {
                lineNumber += 1
                try row.split(bytes, line, line: lineNumber, httpStatus: httpStatus)
                guard row.count == header.count else {
                    throw .malformedResponse(reason: "instruments line \(lineNumber) has \(row.count) fields, expected \(header.count)",
                                             httpStatus: httpStatus)
                }
                func value(_ column: Int) -> String { row.string(position[column]) }
                func number(_ column: Int, scale: Int) throws(BrokerError) -> Int64 {
                    guard let parsed = row.withField(position[column], { KiteDecimal.scaled($0, scale: scale) }) else {
                        throw .malformedResponse(
                            reason: "instruments line \(lineNumber): `\(columns[column])` '\(value(column))' is not a number",
                            httpStatus: httpStatus)
                    }
                    return parsed
                }
                let token = try number(0, scale: 0)
                let exchangeToken = try number(1, scale: 0)
                guard let token32 = UInt32(exactly: token), let exchange32 = UInt32(exactly: exchangeToken) else {
                    throw .malformedResponse(reason: "instruments line \(lineNumber): token out of 32-bit range", httpStatus: httpStatus)
                }
                var expiry: CivilDate?
                if !row.isEmpty(position[5]) {
                    guard let date = CivilDate(iso: value(5)) else {
                        throw .malformedResponse(reason: "instruments line \(lineNumber): expiry '\(value(5))' is not YYYY-MM-DD",
                                                 httpStatus: httpStatus)
                    }
                    expiry = date
                }
                instruments.append(BrokerInstrument(
                    instrumentToken: token32, exchangeToken: exchange32, tradingsymbol: value(2), name: value(3),
                    lastPricePaise: try number(4, scale: 2), expiry: expiry, strikePaise: try number(6, scale: 2),
                    tickSizePaise: try number(7, scale: 2), lotSize: try number(8, scale: 0), instrumentType: value(9),
                    segment: value(10), exchange: value(11)))
            }
            return instruments
        }
    }

    /// The non-empty lines of a body, as byte ranges without their terminators.
    struct LineCursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func next() -> Range<Int>? {
            // Skips terminators (so empty lines), then takes everything up to the next one.
            while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            guard index < bytes.count else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
            return start..<index
        }
    }

    /// One line's fields (RFC 4180 quoting), unquoted into one reused buffer.
    struct Fields {
        /// The fields' bytes, one after another.
        var text: [UInt8] = []
        /// Where each field ends in `text` (it starts where the previous one ends).
        var ends: [Int] = []
        var count: Int { ends.count }

        /// Splits `line` of `bytes`: a `"` opens a quoted stretch (a `"` inside a field, or the second of
        /// a doubled pair, is kept as text), the next `"` closes it; `,` outside quotes ends a field.
        mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, line number: Int, httpStatus: Int)
            throws(BrokerError)
        {
            text.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var quoted = false
            var atFieldStart = true
            for index in line {
                let byte = bytes[index]
                if quoted {
                    if byte == 0x22 { quoted = false } else { text.append(byte) }
                } else if byte == 0x2C {
                    ends.append(text.count)
                    atFieldStart = true
                    continue
                } else if byte == 0x22 {
                    if !atFieldStart { text.append(0x22) }
                    quoted = true
                } else {
                    text.append(byte)
                }
                atFieldStart = false
            }
            guard !quoted else {
                throw .malformedResponse(reason: "instruments line \(number) has an unterminated quote", httpStatus: httpStatus)
            }
            ends.append(text.count)
        }

        func bounds(_ field: Int) -> Range<Int> { (field == 0 ? 0 : ends[field - 1])..<ends[field] }
        func isEmpty(_ field: Int) -> Bool { bounds(field).isEmpty }
        func string(_ field: Int) -> String { String(decoding: text[bounds(field)], as: UTF8.self) }
        func withField<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            text.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[bounds(field)])) }
        }
    }
}

/// Exact decimal text to scaled integers (rupees → paise), the same rules as the quote path.
enum KiteDecimal {
    /// `text` × 10^`scale`, rounded half away from zero; nil unless the whole text is one number.
    static func scaled(_ text: String, scale: Int) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { scaled($0, scale: scale) }
    }

    /// `scaled` of text given as bytes.
    static func scaled(_ bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        guard !bytes.isEmpty, bytes[0] != 0x6E else { return nil }
        var scanner = KiteByteScanner(bytes, httpStatus: 200)
        guard let value = try? scanner.scaled(scale), scanner.index == bytes.count else { return nil }
        return value
    }
}

/// Parses `{"candles":[[time, o, h, l, c, v(, oi)], …]}`.
enum KiteCandleParser {
    static func parse(_ data: JSONValue, httpStatus: Int) throws(BrokerError) -> [BrokerCandle] {
        guard case .array(let rows)? = data["candles"] else {
            throw .malformedResponse(reason: "historical data has no `candles` array", httpStatus: httpStatus)
        }
        var candles: [BrokerCandle] = []
        candles.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard case .array(let items) = row, items.count == 6 || items.count == 7,
                case .string(let time) = items[0], let start = parseCandleTime(time)
            else {
                throw .malformedResponse(reason: "candle \(index) is not [time, open, high, low, close, volume(, oi)]",
                                         httpStatus: httpStatus)
            }
            var numbers: [Int64] = []
            for (position, item) in items.dropFirst().enumerated() {
                guard case .number(let number) = item,
                    let value = KiteDecimal.scaled(number.text, scale: position < 4 ? 2 : 0)
                else {
                    throw .malformedResponse(reason: "candle \(index) field \(position + 1) is not a number in range",
                                             httpStatus: httpStatus)
                }
                numbers.append(value)
            }
            candles.append(BrokerCandle(start: start, openPaise: numbers[0], highPaise: numbers[1], lowPaise: numbers[2],
                                        closePaise: numbers[3], volume: numbers[4],
                                        oi: numbers.count > 5 ? numbers[5] : nil))
        }
        return candles
    }

    /// `2019-12-04T09:15:00+0530` (Kite's offset has no colon) or any ISO 8601 form.
    static func parseCandleTime(_ text: String) -> Instant? {
        guard KiteClient.hasRepresentableYear(text) else { return nil }
        var value = text
        let bytes = Array(text.utf8)
        if bytes.count == 24, bytes[19] == UInt8(ascii: "+") || bytes[19] == UInt8(ascii: "-") {
            value = String(text.prefix(22)) + ":" + String(text.suffix(2))
        }
        return ISO8601.parse(value)
    }
}
