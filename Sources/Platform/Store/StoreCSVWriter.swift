/// The store's row encoder: exactly `StoreCSV.encode`'s bytes, written into one reused buffer with a
/// per-file memory of the columns that repeat from snapshot to snapshot.
///
/// How this works: a file's rows name the same contracts in the same order snapshot after
/// snapshot, so the contract's columns (`tradingsymbol` through `type`, with their commas) are
/// encoded once and kept per row position in a `Memo`; a row reuses them when its contract fields
/// are equal to the remembered ones, else they are encoded again. The first four columns change
/// only with the row's exchange time and are copied as one block. Each snapshot is written in two
/// passes: the first checks the memo and sizes the output, the second writes every row through a
/// raw pointer into `buffer`, which keeps its capacity from one snapshot to the next (no fresh
/// memory to fault in per snapshot). `StoreCSV.encode` stays the reference; tests compare the two.
struct StoreCSVWriter {
    /// The last snapshot's bytes are `buffer[0..<count]` (the rest is spare capacity).
    private(set) var buffer: [UInt8] = []
    /// Remembered contract columns, by file path.
    private var memos: [String: Memo] = [:]
    /// `YYYY-MM-DDT` of the last IST day an instant was written for.
    private var day: Int64 = .min
    private var dayBytes: [UInt8] = []

    /// One file's remembered contract columns, by row position.
    struct Memo {
        var slots: [Slot] = []
        /// The encoded columns; slots name ranges of it. Grows only when a contract changes.
        var arena: [UInt8] = []

        /// Bytes of `arena` per slot, apart from the keys so the writing pass reads plain integers.
        var spans: [Span] = []

        struct Slot {
            var tradingsymbol: String
            var instrumentToken: UInt32
            var expiry: CivilDate
            var strikePaise: Int64
            var optionType: OptionType
        }

        struct Span {
            var start: Int
            var count: Int
        }

        /// True when the slot at `position` holds `row`'s contract (read in place, nothing copied).
        @inline(__always)
        static func matches(_ slot: UnsafePointer<Slot>, _ row: UnsafePointer<QuoteRow>) -> Bool {
            slot.pointee.instrumentToken == row.pointee.instrumentToken && slot.pointee.strikePaise == row.pointee.strikePaise
                && slot.pointee.expiry == row.pointee.expiry && slot.pointee.optionType == row.pointee.optionType
                && slot.pointee.tradingsymbol == row.pointee.tradingsymbol
        }

        /// A memo whose arena outgrows this is rebuilt from the next snapshot.
        static let arenaLimit = 1 << 18
    }

    /// Bytes an instant takes at most: `YYYY-MM-DDTHH:MM:SS.fffffffff+05:30` is 35.
    static let instantBound = 48
    /// Bytes a number column takes at most (sign, 20 digits, point).
    static let numberBound = 24

    /// Encodes the rows of `snapshot` for which `include` holds (all when nil) into `buffer` and
    /// returns the byte count; `key` names the file whose memo is used.
    mutating func encode(_ snapshot: ChainSnapshot, key: String, include: ((QuoteRow) -> Bool)? = nil) -> Int {
        guard !snapshot.rows.isEmpty else { return 0 }
        var memo = memos.removeValue(forKey: key) ?? Memo()
        defer { memos[key] = memo }
        if memo.arena.count > Memo.arenaLimit { memo = Memo() }
        let rows = snapshot.rows
        // Pass 1: refresh the memo's slots and bound the output.
        var fragmentBytes = 0
        if memo.slots.count > rows.count {
            memo.slots.removeLast(memo.slots.count - rows.count)
            memo.spans.removeLast(memo.spans.count - rows.count)
        }
        let known = memo.slots.count
        var misses: [Int] = []
        if known > 0 {
            rows.withUnsafeBufferPointer { rows in
                memo.slots.withUnsafeBufferPointer { slots in
                    for position in 0..<known where !Memo.matches(slots.baseAddress! + position, rows.baseAddress! + position) {
                        misses.append(position)
                    }
                }
            }
        }
        for position in misses + Array(known..<rows.count) {
            let (slot, span) = Self.remember(rows[position], in: &memo.arena)
            if position < memo.slots.count {
                memo.slots[position] = slot
                memo.spans[position] = span
            } else {
                memo.slots.append(slot)
                memo.spans.append(span)
            }
        }
        for span in memo.spans { fragmentBytes += span.count }
        // Per row: the four leading columns, the contract's, seven numbers with commas, the underlying.
        let index = Array(snapshot.index.utf8)
        let head = 3 * Self.instantBound + index.count + 4
        let perRow = head + 7 * (Self.numberBound + 1) + Self.numberBound + 2
        let bound = rows.count * perRow + fragmentBytes
        var out = buffer
        buffer = []
        if out.count < bound { out.append(contentsOf: repeatElement(0, count: max(bound, 2 * out.count) - out.count)) }
        let written = out.withUnsafeMutableBufferPointer { out in
            memo.arena.withUnsafeBufferPointer { arena in
                rows.withUnsafeBufferPointer { rows in
                    writeRows(snapshot, rows: rows, index: index, arena: arena.baseAddress!, spans: memo.spans,
                              into: out.baseAddress!, bound: out.count, include: include)
                }
            }
        }
        buffer = out
        return written
    }

    private mutating func writeRows(
        _ snapshot: ChainSnapshot, rows: UnsafeBufferPointer<QuoteRow>, index: [UInt8], arena: UnsafePointer<UInt8>,
        spans: [Memo.Span], into base: UnsafeMutablePointer<UInt8>, bound: Int, include: ((QuoteRow) -> Bool)?
    ) -> Int {
        // The leading block `collected,requested,exchange,index,` is rebuilt when the exchange time changes.
        let lead = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * Self.instantBound + index.count + 4)
        defer { lead.deallocate() }
        var leadWriter = ByteWriter(base: lead)
        instant(snapshot.collectedAt, into: &leadWriter)
        leadWriter.comma()
        instant(snapshot.requestedAt, into: &leadWriter)
        leadWriter.comma()
        let exchangeStart = leadWriter.count
        var leadCount = 0
        var lastExchange: Instant?
        // Every row ends with `,underlying\n`.
        let tail = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.numberBound + 2)
        defer { tail.deallocate() }
        var tailWriter = ByteWriter(base: tail)
        tailWriter.comma()
        tailWriter.rupees(snapshot.underlyingPaise)
        tailWriter.byte(0x0A)
        let tailCount = tailWriter.count
        var writer = ByteWriter(base: base)
        for position in 0..<rows.count {
            if let include, !include(rows[position]) { continue }
            let exchange = rows[position].exchangeTime
            if exchange != lastExchange {
                lastExchange = exchange
                var rebuilt = ByteWriter(base: lead, count: exchangeStart)
                instant(exchange, into: &rebuilt)
                rebuilt.comma()
                rebuilt.write(index)
                rebuilt.comma()
                leadCount = rebuilt.count
            }
            writer.write(lead, count: leadCount)
            writer.write(arena + spans[position].start, count: spans[position].count)
            writer.rupees(rows[position].bidPaise)
            writer.comma()
            writer.rupees(rows[position].askPaise)
            writer.comma()
            writer.rupees(rows[position].ltpPaise)
            writer.comma()
            writer.integer(rows[position].bidQuantity)
            writer.comma()
            writer.integer(rows[position].askQuantity)
            writer.comma()
            writer.integer(rows[position].volume)
            writer.comma()
            writer.integer(rows[position].openInterest)
            writer.write(tail, count: tailCount)
        }
        precondition(writer.count <= bound, "snapshot of \(writer.count) bytes exceeds its bound \(bound)")
        return writer.count
    }

    /// Encodes a row's contract columns, `tradingsymbol,token,expiry,strike,type,`, at the arena's end.
    private static func remember(_ row: QuoteRow, in arena: inout [UInt8]) -> (Memo.Slot, Memo.Span) {
        let start = arena.count
        arena.append(contentsOf: row.tradingsymbol.utf8)
        arena.append(0x2C)
        StoreCSV.appendInteger(Int64(row.instrumentToken), to: &arena)
        arena.append(0x2C)
        arena.append(contentsOf: row.expiry.description.utf8)
        arena.append(0x2C)
        StoreCSV.appendRupees(row.strikePaise, to: &arena)
        arena.append(0x2C)
        arena.append(contentsOf: row.optionType.rawValue.utf8)
        arena.append(0x2C)
        let slot = Memo.Slot(
            tradingsymbol: row.tradingsymbol, instrumentToken: row.instrumentToken, expiry: row.expiry,
            strikePaise: row.strikePaise, optionType: row.optionType)
        return (slot, Memo.Span(start: start, count: arena.count - start))
    }

    /// Writes `instant` as `ISO8601.format` does (IST, fraction only when non-zero, trailing zeros trimmed).
    private mutating func instant(_ instant: Instant, into writer: inout ByteWriter) {
        let local = instant.nanosecondsSinceEpoch + ISO8601.istOffsetSeconds * 1_000_000_000
        let nanos = local.floorModulo(1_000_000_000)
        let seconds = local.floorDivided(by: 1_000_000_000)
        let days = seconds.floorDivided(by: 86_400)
        if days != day {
            day = days
            dayBytes = Array("\(CivilDate(daysSinceEpoch: days))T".utf8)
        }
        writer.write(dayBytes)
        let second = Int(seconds.floorModulo(86_400))
        writer.pair(second / 3600)
        writer.byte(UInt8(ascii: ":"))
        writer.pair(second / 60 % 60)
        writer.byte(UInt8(ascii: ":"))
        writer.pair(second % 60)
        if nanos != 0 {
            writer.byte(UInt8(ascii: "."))
            var fraction = Int(nanos)
            var digits = 9
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            for place in stride(from: digits - 1, through: 0, by: -1) {
                writer.base[writer.count + place] = UInt8(truncatingIfNeeded: fraction % 10) + 0x30
                fraction /= 10
            }
            writer.skip(digits)
        }
        writer.write(StoreCSVWriter.zone)
    }

    static let zone: [UInt8] = Array("+05:30".utf8)
}
