/// Parses Kite's instruments dump (CSV, 12 named columns) into `BrokerInstrument`s.
///
/// Columns are found by their header names, so a reordered dump still parses; every row must
/// have all 12 fields. Numbers are read exactly (prices to paise). Errors name the line.
enum KiteInstrumentsParser {
    static let columns = ["instrument_token", "exchange_token", "tradingsymbol", "name", "last_price", "expiry",
                          "strike", "tick_size", "lot_size", "instrument_type", "segment", "exchange"]

    static func parse(_ body: [UInt8], httpStatus: Int) throws(BrokerError) -> [BrokerInstrument] {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformedResponse(reason: "instruments dump is not valid UTF-8", httpStatus: httpStatus)
        }
        var lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .makeIterator()
        guard let headerLine = lines.next() else {
            throw .malformedResponse(reason: "instruments dump is empty (no header row)", httpStatus: httpStatus)
        }
        let header = try fields(headerLine, line: 1, httpStatus: httpStatus)
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
            let row = try fields(line, line: lineNumber, httpStatus: httpStatus)
            guard row.count == header.count else {
                throw .malformedResponse(reason: "instruments line \(lineNumber) has \(row.count) fields, expected \(header.count)",
                                         httpStatus: httpStatus)
            }
            func value(_ column: Int) -> String { row[position[column]] }
            func number(_ column: Int, scale: Int) throws(BrokerError) -> Int64 {
                guard let parsed = KiteDecimal.scaled(value(column), scale: scale) else {
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
            if !value(5).isEmpty {
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

    /// Splits one CSV line (RFC 4180 quoting) into fields.
    static func fields(_ line: Substring, line number: Int, httpStatus: Int) throws(BrokerError) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var atFieldStart = true
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "," {
                out.append(current)
                current = ""
                atFieldStart = true
                continue
            } else if character == "\"" {
                if !atFieldStart { current.append("\"") }
                quoted = true
            } else {
                current.append(character)
            }
            atFieldStart = false
        }
        guard !quoted else {
            throw .malformedResponse(reason: "instruments line \(number) has an unterminated quote", httpStatus: httpStatus)
        }
        out.append(current)
        return out
    }
}

/// Exact decimal text to scaled integers (rupees → paise), the same rules as the quote path.
enum KiteDecimal {
    /// `text` × 10^`scale`, rounded half away from zero; nil unless the whole text is one number.
    static func scaled(_ text: String, scale: Int) -> Int64? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int64? in
            var scanner = KiteByteScanner(UnsafeBufferPointer(buffer), httpStatus: 200)
            guard buffer[0] != 0x6E, let value = try? scanner.scaled(scale), scanner.index == buffer.count else {
                return nil
            }
            return value
        }
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
