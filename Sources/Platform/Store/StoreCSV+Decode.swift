/// A row read back from the store, with the snapshot fields it carries.
public struct StoredRow: Sendable, Equatable {
    public var collectedAt: Instant
    public var requestedAt: Instant
    public var index: String
    public var underlyingPaise: Int64
    public var quote: QuoteRow
}

extension StoreCSV {
    /// Parses one line (without its newline); the reason on failure names the bad column.
    public static func decode(line: ArraySlice<UInt8>) -> Result<StoredRow, RowDecodeError> {
        let fields = line.split(separator: 0x2C, omittingEmptySubsequences: false)
        guard fields.count == columns.count else {
            return .failure(RowDecodeError(reason: "\(fields.count) columns, expected \(columns.count)"))
        }
        func text(_ i: Int) -> String { String(decoding: fields[i], as: UTF8.self) }
        func instant(_ i: Int) -> Instant? { ISO8601.parse(text(i)) }
        func integer(_ i: Int) -> Int64? { Int64(text(i)) }
        func fail(_ i: Int) -> Result<StoredRow, RowDecodeError> {
            .failure(RowDecodeError(reason: "bad \(columns[i]) '\(text(i).prefix(40))'"))
        }
        guard let collected = instant(0) else { return fail(0) }
        guard let requested = instant(1) else { return fail(1) }
        guard let exchange = instant(2) else { return fail(2) }
        guard !fields[4].isEmpty else { return fail(4) }
        guard let token = UInt32(text(5)) else { return fail(5) }
        guard let expiry = CivilDate(iso: text(6)) else { return fail(6) }
        guard let strike = rupeesToPaise(fields[7]) else { return fail(7) }
        guard let type = OptionType(rawValue: text(8)) else { return fail(8) }
        guard let bid = rupeesToPaise(fields[9]) else { return fail(9) }
        guard let ask = rupeesToPaise(fields[10]) else { return fail(10) }
        guard let ltp = rupeesToPaise(fields[11]) else { return fail(11) }
        guard let bidQuantity = integer(12) else { return fail(12) }
        guard let askQuantity = integer(13) else { return fail(13) }
        guard let volume = integer(14) else { return fail(14) }
        guard let oi = integer(15) else { return fail(15) }
        guard let underlying = rupeesToPaise(fields[16]) else { return fail(16) }
        let quote = QuoteRow(
            tradingsymbol: text(4), instrumentToken: token, expiry: expiry, strikePaise: strike, optionType: type,
            bidPaise: bid, askPaise: ask, ltpPaise: ltp, bidQuantity: bidQuantity, askQuantity: askQuantity,
            volume: volume, openInterest: oi, exchangeTime: exchange)
        return .success(
            StoredRow(collectedAt: collected, requestedAt: requested, index: text(3), underlyingPaise: underlying, quote: quote))
    }

    /// Parses `123.45` or `-0.05` (exactly two decimals) into paise.
    public static func rupeesToPaise(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var digits = bytes
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard digits.count >= 4, digits[digits.endIndex - 3] == UInt8(ascii: ".") else { return nil }
        var value: Int64 = 0
        for (position, byte) in digits.enumerated() where position != digits.count - 3 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}

/// Why a stored line did not parse.
public struct RowDecodeError: Error, Sendable, Equatable {
    public var reason: String
}
