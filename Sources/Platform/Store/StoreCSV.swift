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
    public static func encode(_ snapshot: ChainSnapshot, into out: inout [UInt8], include: ((QuoteRow) -> Bool)? = nil) {
        let collected = Array(snapshot.collectedAt.description.utf8)
        let requested = Array(snapshot.requestedAt.description.utf8)
        let index = Array(snapshot.index.utf8)
        var underlying: [UInt8] = []
        appendRupees(snapshot.underlyingPaise, to: &underlying)
        let underlyingLine = [0x2C] + underlying + [0x0A]
        var lastExchange = Instant(nanosecondsSinceEpoch: .min)
        var exchangeBytes: [UInt8] = []
        var lastExpiry: CivilDate?
        var expiryBytes: [UInt8] = []
        // Each row is written through a raw pointer into a scratch buffer sized from the row's bound
        // (one bounds computation per row, no capacity check per byte), then appended with one copy.
        // A row's fixed fields need at most 300 bytes.
        let fixedBound = collected.count + requested.count + index.count + underlyingLine.count + 300
        var scratchCapacity = fixedBound + 128
        var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
        defer { scratch.deallocate() }
        out.reserveCapacity(out.count + snapshot.rows.count * (fixedBound - 150))
        for row in snapshot.rows where include?(row) ?? true {
            if row.exchangeTime != lastExchange {
                // The row's first four fields change only with the exchange time: one copy per row.
                lastExchange = row.exchangeTime
                exchangeBytes = collected + [0x2C] + requested + [0x2C] + Array(row.exchangeTime.description.utf8) + [0x2C]
                    + index + [0x2C]
            }
            if row.expiry != lastExpiry {
                lastExpiry = row.expiry
                expiryBytes = Array(row.expiry.description.utf8)
            }
            let bound = fixedBound + exchangeBytes.count + expiryBytes.count + row.tradingsymbol.utf8.count
            if bound > scratchCapacity {
                scratch.deallocate()
                scratchCapacity = bound
                scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
            }
            var writer = ByteWriter(base: scratch)
            writer.write(exchangeBytes)
            writer.write(row.tradingsymbol)
            writer.comma()
            writer.integer(Int64(row.instrumentToken))
            writer.comma()
            writer.write(expiryBytes)
            writer.comma()
            writer.rupees(row.strikePaise)
            writer.comma()
            writer.write(row.optionType == .call ? callBytes : putBytes)
            writer.comma()
            writer.rupees(row.bidPaise)
            writer.comma()
            writer.rupees(row.askPaise)
            writer.comma()
            writer.rupees(row.ltpPaise)
            writer.comma()
            writer.integer(row.bidQuantity)
            writer.comma()
            writer.integer(row.askQuantity)
            writer.comma()
            writer.integer(row.volume)
            writer.comma()
            writer.integer(row.openInterest)
            writer.write(underlyingLine)
            precondition(writer.count <= bound, "row of \(writer.count) bytes exceeds its bound \(bound)")
            out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: writer.count))
        }
    }

    static let callBytes = Array("CE".utf8)
    static let putBytes = Array("PE".utf8)

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
