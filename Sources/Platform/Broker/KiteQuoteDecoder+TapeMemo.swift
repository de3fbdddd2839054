import Synchronization

/// Each requested instrument's tape bytes from the previous response, with the values the tops reader read
/// from them, so a quote whose tape has not moved is compared instead of read again.
///
/// A collector asks for the same instruments in the same order every poll, and most have no new trade
/// between polls: the bytes from `,"last_trade_time":` through `last_quantity`'s digits (the *head*) and
/// from `,"volume":` through `close`'s digits (the *tail*) are then the same as last time; only
/// `buy_quantity` and `sell_quantity` between them, the `timestamp` before and the depth after change.
/// Slot `i` belongs to the requested key at position `i` of the `QuoteKeyIndex`; which instrument a slot
/// holds only decides how often it helps, never what is read (see `CanonicalTopReader.read`).
///
/// Bounded: at most `slotsMax` slots of `headBytes + tailBytes` bytes each (about 2 MB per memo), allocated
/// once per memo in use for as many keys as are asked (a decode that finds the box's memo taken by another
/// decode at the same moment uses a fresh one); a span longer than its slot is simply not remembered.
struct QuoteTapeMemo {
    /// Most slots kept (a key at a higher position is read without the memo).
    static let slotsMax = 4096
    /// Bytes a remembered head may hold (`,"last_trade_time":` + a quoted time + price + quantity: ~90).
    static let headBytes = 128
    /// Bytes a remembered tail may hold (12 fields from `,"volume":` to `close`: ~160 of names + numbers).
    static let tailBytes = 320
    static var slotBytes: Int { headBytes + tailBytes }

    /// What one slot remembers besides its bytes: the spans' lengths (0: nothing remembered) and the
    /// values read from them, and the token's digits (at most 16) as two little-endian words with the
    /// masks of their bytes.
    struct Entry {
        var headLength = 0
        var tailLength = 0
        var tokenLength = 0
        var tokenWord: UInt64 = 0
        var tokenMask: UInt64 = 0
        var tokenWord2: UInt64 = 0
        var tokenMask2: UInt64 = 0
        var token: UInt32 = 0
        var lastTradeTime: Instant?
        var lastPricePaise: Int64 = 0
        var volume: Int64 = 0
        var oi: Int64 = 0
    }

    /// `slotBytes` per slot: the head at offset 0, the tail at `headBytes`.
    var bytes: [UInt8] = []
    var entries: [Entry] = []

    /// Slots for the first `keys` key positions (up to `slotsMax`); keeps what is already remembered.
    mutating func prepare(keys: Int) {
        let slots = min(keys, QuoteTapeMemo.slotsMax)
        guard slots > entries.count else { return }
        bytes += repeatElement(0, count: (slots - entries.count) * QuoteTapeMemo.slotBytes)
        entries += repeatElement(Entry(), count: slots - entries.count)
    }
}

/// A remembered slot as the reader sees it while a body is decoded: its bytes and its entry.
struct TapeSlot {
    let bytes: UnsafeMutablePointer<UInt8>
    let entry: UnsafeMutablePointer<QuoteTapeMemo.Entry>
}

/// The memo a `KiteClient` keeps across responses: lent whole to one decode at a time.
///
/// The client is a value copied freely, so the memo sits behind a reference; a decode takes it out (leaving
/// an empty one) and puts it back, so two decodes at once never share slots (the second simply starts
/// empty). What the memo holds never changes a result, only how much is re-read, so sharing it between
/// copies of a client keeps every output deterministic.
final class QuoteTapeMemoBox: Sendable {
    private let memo = Mutex(QuoteTapeMemo())

    /// The memo, leaving an empty one in its place.
    func take() -> QuoteTapeMemo {
        memo.withLock { held in
            var taken = QuoteTapeMemo()
            swap(&taken, &held)
            return taken
        }
    }

    /// Puts `memo` back for the next decode.
    func put(_ returned: consuming QuoteTapeMemo) {
        var returned = returned
        memo.withLock { held in swap(&returned, &held) }
    }
}
