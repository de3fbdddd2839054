/// The store's row encoder: exactly `StoreCSV.encode`'s bytes, written into one reused buffer with a
/// per-file memory of the columns that repeat from snapshot to snapshot.
///
/// How this works: a file's rows name the same contracts in the same order snapshot after
/// snapshot, so the contract's columns (`tradingsymbol` through `type`, with their commas) are
/// encoded once and kept per row position in a `Memo`; a row reuses them when its contract fields
/// are equal to the remembered ones, else they are encoded again. The first four columns change
/// only with the row's exchange time and are copied as one block. Each snapshot is written in two
/// passes: `prepare` checks the memo and bounds the output, then the `Prepared` snapshot writes
/// every row through a raw pointer wherever the caller says: straight into a file system's
/// buffer (`FileSystem.append(_:capacity:scratch:writing:)`), or into `buffer` for `encode`.
/// `StoreCSV.encode` stays the reference; tests compare the two.
struct StoreCSVWriter {
    /// The last `encode`'s bytes are `buffer[0..<count]` (the rest is spare capacity).
    private(set) var buffer: [UInt8] = []
    /// Remembered contract columns, by file path.
    private var memos: [String: Memo] = [:]
    private var printer = InstantPrinter()

    /// One file's remembered contract columns, by row position.
    struct Memo {
        var slots: [Slot] = []
        /// The encoded columns, then `Memo.padding` zero bytes (so 32-byte copies may read
        /// past a span); slots name ranges of it. Grows only when a contract changes.
        var arena = [UInt8](repeating: 0, count: Memo.padding)

        /// Bytes of `arena` per slot, apart from the keys so the writing pass reads plain integers.
        var spans: [Span] = []

        /// Per row position, the last printed LTP and (volume, OI) with their text (`NumberRecord`):
        /// they change in few seconds of a session, so a row usually copies them instead of printing.
        var numbers: [UInt64] = []

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

        /// Zero bytes after the arena's spans: what `ByteWriter.copyWide` may read past a span.
        static let padding = ByteWriter.wideOvershoot

        /// A memo whose arena outgrows this is rebuilt from the next snapshot.
        static let arenaLimit = 1 << 18
    }

    /// A row position's slice of `Memo.numbers`, in words: the LTP (value, text length, 24 bytes of
    /// text), then volume and OI (two values, text length, 48 bytes of `volume,oi`). A length of 0
    /// means nothing is remembered. A remembered text is the one its value prints as, whatever
    /// contract the position holds, so the record never needs clearing.
    enum NumberRecord {
        static let words = 14
        static let ltp = 0, ltpLength = 1, ltpText = 2
        static let volume = 5, openInterest = 6, volumeLength = 7, volumeText = 8
    }

    /// Bytes an instant takes at most: `YYYY-MM-DDTHH:MM:SS.fffffffff+05:30` is 35.
    static let instantBound = 48
    /// Bytes a number column takes at most (sign, 20 digits, point).
    static let numberBound = 24

    /// A snapshot whose memo is refreshed, ready to be written: at most `bound` bytes.
    struct Prepared {
        /// Bytes the caller must make room for (the rows' bytes plus what printers store past them).
        let bound: Int
        fileprivate let snapshot: ChainSnapshot
        fileprivate let memo: Memo
        fileprivate let index: [UInt8]
        fileprivate var printer: InstantPrinter
        /// The memo's number records, held here (uniquely) while the rows are written; `finish` puts them back.
        fileprivate var numbers: [UInt64]
        fileprivate let key: String

        /// Writes the rows (those whose `keep` entry is true; all when nil) at `base`, which has room
        /// for `bound` bytes, and returns how many bytes the rows take.
        mutating func write(into base: UnsafeMutablePointer<UInt8>, keep: [Bool]? = nil) -> Int {
            let snapshot = snapshot
            // The leading block `collected,requested,exchange,index,` is rebuilt when the exchange time changes.
            let leadCapacity = 3 * StoreCSVWriter.instantBound + index.count + 4 + ByteWriter.wideOvershoot
            let lead = UnsafeMutablePointer<UInt8>.allocate(capacity: leadCapacity)
            defer { lead.deallocate() }
            lead.initialize(repeating: 0, count: leadCapacity)
            var leadWriter = ByteWriter(base: lead)
            printer.write(snapshot.collectedAt, into: &leadWriter)
            leadWriter.comma()
            printer.write(snapshot.requestedAt, into: &leadWriter)
            leadWriter.comma()
            let exchangeStart = leadWriter.count
            var leadCount = 0
            var lastExchange = Int64.min
            var haveLead = false
            // Every row ends with `,underlying\n`.
            let tailCapacity = StoreCSVWriter.numberBound + 2 + ByteWriter.overshoot
            let tail = UnsafeMutablePointer<UInt8>.allocate(capacity: tailCapacity)
            defer { tail.deallocate() }
            tail.initialize(repeating: 0, count: tailCapacity)
            var tailWriter = ByteWriter(base: tail)
            tailWriter.comma()
            tailWriter.rupees(snapshot.underlyingPaise)
            tailWriter.byte(0x0A)
            let tailCount = tailWriter.count
            var p = base
            let smallTexts = ByteWriter.smallTexts
            snapshot.rows.withUnsafeBufferPointer { rows in
                smallTexts.withUnsafeBufferPointer { table in
                    memo.arena.withUnsafeBufferPointer { arena in
                        memo.spans.withUnsafeBufferPointer { spans in
                            numbers.withUnsafeMutableBufferPointer { numbers in
                                let arena = arena.baseAddress!
                                let table = table.baseAddress!
                                for position in 0..<rows.count {
                                    if let keep, !keep[position] { continue }
                                    let row = rows.baseAddress! + position
                                    let exchange = row.pointee.exchangeTime
                                    if !haveLead || exchange.nanosecondsSinceEpoch != lastExchange {
                                        haveLead = true
                                        lastExchange = exchange.nanosecondsSinceEpoch
                                        var rebuilt = ByteWriter(base: lead, count: exchangeStart)
                                        printer.write(exchange, into: &rebuilt)
                                        rebuilt.comma()
                                        rebuilt.write(index)
                                        rebuilt.comma()
                                        leadCount = rebuilt.count
                                    }
                                    let record = numbers.baseAddress! + position &* NumberRecord.words
                                    // The lead and the contract's columns (about 85 and 50 bytes) 32 at a time: the
                                    // row's later columns are stored over what they write past the cursor.
                                    p = ByteWriter.copyWide(lead, count: leadCount, to: p)
                                    let span = spans[position]
                                    p = ByteWriter.copyWide(arena + span.start, count: span.count, to: p)
                                    p = ByteWriter.putPrice(row.pointee.bidPaise, table: table, at: p)
                                    p.pointee = 0x2C
                                    p = ByteWriter.putPrice(row.pointee.askPaise, table: table, at: p + 1)
                                    p.pointee = 0x2C
                                    p += 1
                                    let ltp = UInt64(bitPattern: row.pointee.ltpPaise)
                                    if record[NumberRecord.ltpLength] != 0, record[NumberRecord.ltp] == ltp {
                                        p = ByteWriter.copy(UnsafeRawPointer(record + NumberRecord.ltpText).assumingMemoryBound(to: UInt8.self),
                                                            count: Int(truncatingIfNeeded: record[NumberRecord.ltpLength]), to: p)
                                    } else {
                                        let start = p
                                        p = ByteWriter.putRupees(row.pointee.ltpPaise, at: p)
                                        UnsafeMutableRawPointer(record + NumberRecord.ltpText).copyMemory(from: start, byteCount: 24)
                                        record[NumberRecord.ltp] = ltp
                                        record[NumberRecord.ltpLength] = UInt64(p - start)
                                    }
                                    p.pointee = 0x2C
                                    p = ByteWriter.putQuantity(row.pointee.bidQuantity, table: table, at: p + 1)
                                    p.pointee = 0x2C
                                    p = ByteWriter.putQuantity(row.pointee.askQuantity, table: table, at: p + 1)
                                    p.pointee = 0x2C
                                    p += 1
                                    let volume = UInt64(bitPattern: row.pointee.volume)
                                    let openInterest = UInt64(bitPattern: row.pointee.openInterest)
                                    if record[NumberRecord.volumeLength] != 0, record[NumberRecord.volume] == volume,
                                       record[NumberRecord.openInterest] == openInterest {
                                        p = ByteWriter.copy(UnsafeRawPointer(record + NumberRecord.volumeText).assumingMemoryBound(to: UInt8.self),
                                                            count: Int(truncatingIfNeeded: record[NumberRecord.volumeLength]), to: p)
                                    } else {
                                        let start = p
                                        p = ByteWriter.putInteger(row.pointee.volume, at: p)
                                        p.pointee = 0x2C
                                        p = ByteWriter.putInteger(row.pointee.openInterest, at: p + 1)
                                        UnsafeMutableRawPointer(record + NumberRecord.volumeText).copyMemory(from: start, byteCount: 48)
                                        record[NumberRecord.volume] = volume
                                        record[NumberRecord.openInterest] = openInterest
                                        record[NumberRecord.volumeLength] = UInt64(p - start)
                                    }
                                    p = ByteWriter.copy(tail, count: tailCount, to: p)
                                }
                            }
                        }
                    }
                }
            }
            let written = p - base
            precondition(written + ByteWriter.overshoot <= bound, "snapshot of \(written) bytes exceeds its bound \(bound)")
            return written
        }
    }

    /// Refreshes the memo of the file `key` for `snapshot` and returns the snapshot ready to write.
    mutating func prepare(_ snapshot: ChainSnapshot, key: String) -> Prepared {
        var memo = memos.removeValue(forKey: key) ?? Memo()
        if memo.arena.count > Memo.arenaLimit { memo = Memo() }
        let rows = snapshot.rows
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
        if !misses.isEmpty || known < rows.count {
            memo.arena.removeLast(Memo.padding)
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
            memo.arena.append(contentsOf: repeatElement(0, count: Memo.padding))
        }
        var fragmentBytes = 0
        for span in memo.spans { fragmentBytes += span.count }
        var numbers = memo.numbers
        memo.numbers = []
        if numbers.count < rows.count * NumberRecord.words {
            numbers.append(contentsOf: repeatElement(0, count: rows.count * NumberRecord.words - numbers.count))
        }
        memos[key] = memo
        // Per row: the four leading columns, the contract's, seven numbers with commas, the underlying.
        let index = Array(snapshot.index.utf8)
        let head = 3 * Self.instantBound + index.count + 4
        let perRow = head + 7 * (Self.numberBound + 1) + Self.numberBound + 2
        let bound = rows.count * perRow + fragmentBytes + ByteWriter.overshoot
        return Prepared(bound: bound, snapshot: snapshot, memo: memo, index: index, printer: printer, numbers: numbers, key: key)
    }

    /// Takes back what writing `prepared` remembered (its number records and day); without it the
    /// next snapshot of the file just prints every number.
    mutating func finish(_ prepared: Prepared) {
        memos[prepared.key]?.numbers = prepared.numbers
        printer = prepared.printer
    }

    /// Encodes the rows of `snapshot` for which `include` holds (all when nil) into `buffer` and
    /// returns the byte count; `key` names the file whose memo is used.
    mutating func encode(_ snapshot: ChainSnapshot, key: String, include: ((QuoteRow) -> Bool)? = nil) -> Int {
        guard !snapshot.rows.isEmpty else { return 0 }
        var prepared = prepare(snapshot, key: key)
        let keep = include.map { include in snapshot.rows.map(include) }
        if buffer.count < prepared.bound {
            buffer.append(contentsOf: repeatElement(0, count: max(prepared.bound, 2 * buffer.count) - buffer.count))
        }
        let written = buffer.withUnsafeMutableBufferPointer { prepared.write(into: $0.baseAddress!, keep: keep) }
        finish(prepared)
        return written
    }

    /// Encodes a row's contract columns, `tradingsymbol,token,expiry,strike,type,`, at the arena's end.
    private static func remember(_ row: QuoteRow, in arena: inout [UInt8]) -> (Memo.Slot, Memo.Span) {
        let start = arena.count
        arena.append(contentsOf: row.tradingsymbol.utf8)
        let slot = Memo.Slot(
            tradingsymbol: row.tradingsymbol, instrumentToken: row.instrumentToken, expiry: row.expiry,
            strikePaise: row.strikePaise, optionType: row.optionType)
        let expiry = row.expiry
        if (0...9999).contains(expiry.year) {
            // The columns after the symbol through a ByteWriter on the stack (at most 48 bytes), appended in one copy.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
                var writer = ByteWriter(base: buffer.baseAddress!)
                writer.comma()
                writer.integer(Int64(row.instrumentToken))
                writer.comma()
                writer.date(expiry)
                writer.comma()
                writer.rupees(row.strikePaise)
                writer.comma()
                writer.write(row.optionType.rawValue)
                writer.comma()
                arena.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: writer.count))
            }
            return (slot, Memo.Span(start: start, count: arena.count - start))
        }
        arena.append(0x2C)
        StoreCSV.appendInteger(Int64(row.instrumentToken), to: &arena)
        arena.append(0x2C)
        arena.append(contentsOf: row.expiry.description.utf8)
        arena.append(0x2C)
        StoreCSV.appendRupees(row.strikePaise, to: &arena)
        arena.append(0x2C)
        arena.append(contentsOf: row.optionType.rawValue.utf8)
        arena.append(0x2C)
        return (slot, Memo.Span(start: start, count: arena.count - start))
    }
}

/// Writes instants as `ISO8601.format` does, remembering the bytes of the last IST day it wrote.
struct InstantPrinter {
    /// `YYYY-MM-DDT` of the last IST day an instant was written for.
    private var day: Int64 = .min
    private var dayBytes: [UInt8] = []

    /// Writes `instant` (IST, fraction only when non-zero, trailing zeros trimmed).
    mutating func write(_ instant: Instant, into writer: inout ByteWriter) {
        let local = instant.nanosecondsSinceEpoch + ISO8601.istOffsetSeconds * 1_000_000_000
        let nanos = local.floorModulo(1_000_000_000)
        let seconds = local.floorDivided(by: 1_000_000_000)
        let days = seconds.floorDivided(by: 86_400)
        if days != day {
            day = days
            dayBytes = Array("\(CivilDate(daysSinceEpoch: days))T".utf8)
        }
        writer.write(dayBytes)
        writer.clock(secondOfDay: Int(seconds.floorModulo(86_400)), nanos: nanos)
        writer.write(InstantPrinter.zone)
    }

    static let zone: [UInt8] = Array("+05:30".utf8)
}
