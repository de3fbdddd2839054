/// The consolidated CSV format: one file per (trading date, index), a fixed header, one row per quote.
///
/// Columns, in order (times are ISO 8601 in IST; prices are rupees with two decimals, from integer
/// paise; quantities, volume and OI are units):
///
/// | column | meaning |
/// |---|---|
/// | `collected_at` | when the snapshot was cut (row key, with `tradingsymbol`) |
/// | `requested_at` | when the request that fetched it was sent |
/// | `exchange_time` | the exchange's last-update time for this quote |
/// | `index` | index symbol |
/// | `tradingsymbol`, `instrument_token` | the contract |
/// | `expiry`, `strike`, `type` | `YYYY-MM-DD`, rupees, `CE`/`PE` |
/// | `bid`, `ask`, `ltp`, `bid_qty`, `ask_qty`, `volume`, `oi` | the quote |
/// | `underlying` | index level at collection |
public enum StoreCSV {
    public static let columns = [
        "collected_at", "requested_at", "exchange_time", "index", "tradingsymbol", "instrument_token",
        "expiry", "strike", "type", "bid", "ask", "ltp", "bid_qty", "ask_qty", "volume", "oi", "underlying",
    ]

    /// The header line, newline-terminated.
    public static let headerLine: [UInt8] = Array((columns.joined(separator: ",") + "\n").utf8)

    /// The file holding `index` on `date` under `directory`: `DIR/YYYY-MM-DD/INDEX.csv`.
    public static func path(directory: String, date: CivilDate, index: String) -> String {
        "\(directory)/\(date)/\(index).csv"
    }

    /// Appends the snapshot's rows (those for which `include` is true) as CSV lines.
    public static func encode(_ snapshot: ChainSnapshot, into out: inout [UInt8], include: (QuoteRow) -> Bool = { _ in true }) {
        let collected = Array(snapshot.collectedAt.description.utf8)
        let requested = Array(snapshot.requestedAt.description.utf8)
        let index = Array(snapshot.index.utf8)
        var underlying: [UInt8] = []
        appendRupees(snapshot.underlyingPaise, to: &underlying)
        var lastExchange = Instant(nanosecondsSinceEpoch: .min)
        var exchangeBytes: [UInt8] = []
        var lastExpiry: CivilDate?
        var expiryBytes: [UInt8] = []
        out.reserveCapacity(out.count + snapshot.rows.count * 200)
        for row in snapshot.rows where include(row) {
            if row.exchangeTime != lastExchange {
                lastExchange = row.exchangeTime
                exchangeBytes = Array(row.exchangeTime.description.utf8)
            }
            if row.expiry != lastExpiry {
                lastExpiry = row.expiry
                expiryBytes = Array(row.expiry.description.utf8)
            }
            out.append(contentsOf: collected)
            out.append(0x2C)
            out.append(contentsOf: requested)
            out.append(0x2C)
            out.append(contentsOf: exchangeBytes)
            out.append(0x2C)
            out.append(contentsOf: index)
            out.append(0x2C)
            out.append(contentsOf: row.tradingsymbol.utf8)
            out.append(0x2C)
            appendInteger(Int64(row.instrumentToken), to: &out)
            out.append(0x2C)
            out.append(contentsOf: expiryBytes)
            out.append(0x2C)
            appendRupees(row.strikePaise, to: &out)
            out.append(0x2C)
            out.append(contentsOf: row.optionType.rawValue.utf8)
            for paise in [row.bidPaise, row.askPaise, row.ltpPaise] {
                out.append(0x2C)
                appendRupees(paise, to: &out)
            }
            for count in [row.bidQuantity, row.askQuantity, row.volume, row.openInterest] {
                out.append(0x2C)
                appendInteger(count, to: &out)
            }
            out.append(0x2C)
            out.append(contentsOf: underlying)
            out.append(0x0A)
        }
    }

    /// Appends a decimal integer.
    @inlinable
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for position in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[position]) }
        }
    }

    /// Appends paise as rupees with exactly two decimals: 12345 → `123.45`, -5 → `-0.05`.
    @inlinable
    public static func appendRupees(_ paise: Int64, to out: inout [UInt8]) {
        if paise < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = paise.magnitude
        appendInteger(Int64(magnitude / 100), to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(truncatingIfNeeded: magnitude % 100 / 10) + 0x30)
        out.append(UInt8(truncatingIfNeeded: magnitude % 10) + 0x30)
    }
}
