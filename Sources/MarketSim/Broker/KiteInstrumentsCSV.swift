/// Kite's instruments dump as CSV: the 12 columns in the exact published order.
///
/// Numeric columns are never empty (the Python client calls `float()`/`int()` on them), expiry
/// is `YYYY-MM-DD` or empty, strikes print with one decimal like Kite's (`24000.0`).
public enum KiteInstrumentsCSV {
    /// The header row.
    public static let header =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange"

    /// The dump for `instruments`, header first, `\n` line ends.
    public static func encode(_ instruments: [KiteInstrument]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + instruments.count * 96)
        out.append(contentsOf: header.utf8)
        out.append(0x0A)
        for instrument in instruments {
            KiteJSON.appendInt(Int64(instrument.instrumentToken), to: &out)
            out.append(0x2C)
            KiteJSON.appendInt(Int64(instrument.exchangeToken), to: &out)
            out.append(0x2C)
            appendField(instrument.tradingsymbol, to: &out)
            out.append(0x2C)
            appendField(instrument.name, to: &out)
            out.append(0x2C)
            KiteJSON.appendPaise(instrument.lastPricePaise, to: &out)
            out.append(0x2C)
            if let expiry = instrument.expiry { KiteTime.appendDate(expiry, to: &out) }
            out.append(0x2C)
            appendDecimal(instrument.strikePaise, to: &out)
            out.append(0x2C)
            KiteJSON.appendPaise(instrument.tickSizePaise, to: &out)
            out.append(0x2C)
            KiteJSON.appendInt(instrument.lotSize, to: &out)
            out.append(0x2C)
            appendField(instrument.instrumentType, to: &out)
            out.append(0x2C)
            appendField(instrument.segment, to: &out)
            out.append(0x2C)
            appendField(instrument.exchange, to: &out)
            out.append(0x0A)
        }
        return out
    }

    /// Paise as rupees with at least one decimal: `2400000` → `24000.0`, `2405050` → `24050.5`.
    static func appendDecimal(_ paise: Int64, to out: inout [UInt8]) {
        KiteJSON.appendPaise(paise, to: &out)
        if paise % 100 == 0 { out.append(contentsOf: ".0".utf8) }
    }

    /// A text field, quoted (RFC 4180) only when it holds a comma, quote or line break.
    static func appendField(_ text: String, to out: inout [UInt8]) {
        let needsQuotes = text.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}

extension KiteBroker {
    /// `GET /instruments` and `/instruments/{exchange}`: the day's dump as `text/csv`.
    mutating func instruments(exchange: String?, at now: KiteInstant) -> KiteHTTPResponse {
        let all = listing(at: now).instruments
        let selected = exchange.map { name in all.filter { $0.exchange == name } } ?? all
        return KiteHTTPResponse(
            status: 200, headers: [KiteField("Content-Type", "text/csv")], body: KiteInstrumentsCSV.encode(selected))
    }
}
