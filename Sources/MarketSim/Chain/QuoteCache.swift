import Synchronization

/// Work shared between on-demand quotes of one session: pricing slices by (group, second) and each
/// contract's trade tape at the last second asked.
///
/// A broker serving a session asks for hundreds of contracts at each second, walking forward in
/// time. With a cache, the slice of an (index, expiry) at a second is built once for all its
/// contracts, and a contract's tape is extended from its previous answer instead of replayed from
/// the open. Answers never depend on the cache: a cached slice is the slice that would be
/// recomputed, a tape is advanced by exactly the trades a replay applies, and asking for an
/// earlier second than a contract's cursor replays without disturbing it. Thread-safe; one cache
/// belongs to one market.
public final class QuoteCache: Sendable {
    /// The market this cache was made for (seed and session), checked on every use.
    public let seed: UInt64
    public let date: TradingDate
    /// Contracts and (index, expiry) groups of that market, which the cache's tables are sized by.
    let contracts: Int
    let groups: Int
    private let state: Mutex<State>
    /// Depth quantities as text, `quantityTableSize` entries per lot size: entry `lots` holds
    /// `lots × lotSize` as `quantityEntry` makes it (its digits and their count), or 0 when that
    /// needs more than 7 digits. Depth sizes are whole lots in 1...196, so the broker's encoder
    /// looks their digits up instead of printing them.
    let quantityText: [UInt64]
    /// Per contract id, where its lot size's entries start in `quantityText`.
    let quantityTable: [Int]
    static let quantityTableSize = 256

    /// An empty cache for `market`'s session.
    public init(market: Market) {
        seed = market.seed
        date = market.date
        contracts = market.quoteTerms.count
        groups = market.quoteGroups.count
        var text: [UInt64] = []
        var starts: [Int64: Int] = [:]
        quantityTable = market.quoteTerms.map { terms in
            if let start = starts[terms.lotSize] { return start }
            let start = text.count
            starts[terms.lotSize] = start
            for lots in 0..<Int64(Self.quantityTableSize) { text.append(Self.quantityEntry(lots * terms.lotSize)) }
            return start
        }
        quantityText = text
        state = Mutex(
            State(groups: market.quoteGroups.count, contracts: market.quoteTerms.count, sessionSeconds: market.sessionSeconds))
    }

    /// `value` (0 ≤ value < 10^8) as ASCII digits in a little-endian word, first digit in the low
    /// byte and zero bytes after the last; 0 for any other value.
    static func digitText(_ value: Int64) -> UInt64 {
        guard value >= 0, value < 100_000_000 else { return 0 }
        var word: UInt64 = 0
        for (position, digit) in String(value).utf8.enumerated() { word |= UInt64(digit) << (8 * position) }
        return word
    }

    /// `value` (0 ≤ value < 10^7) as `digitText` gives it with its digit count in the high byte
    /// (the writer stores the whole word and advances by that count); 0 for any other value.
    static func quantityEntry(_ value: Int64) -> UInt64 {
        guard value >= 0, value < 10_000_000 else { return 0 }
        return digitText(value) | UInt64(String(value).utf8.count) << 56
    }

    /// `Sendable` so `Mutex` can hand it to the thread holding the lock; its `CursorTable` is a
    /// reference, so a copy of a `State` shares its cursors and must not be used outside the lock.
    struct State: Sendable {
        var slices: SecondSlices
        /// By contract id (`TapeCursor.unopened` until the contract is first asked), then one
        /// scratch cursor for replays of an earlier second.
        let cursors: CursorTable
        /// By contract id, the fixed text of its Kite entry (empty until asked; the whole table
        /// is allocated on the first request, so a cache serving only quotes holds none).
        var texts: [KiteFixedText] = []
        /// By contract id, the text of its tape's fields at the last trade count asked (as `texts`).
        var tapeTexts: [KiteTapeText] = []
        /// The strike priced last: one Black-76 evaluation gives both rights, and a quote call
        /// usually asks a strike's CE and PE one after the other.
        var lastStrike: (group: Int, strikePaise: Int64, second: Int, call: (bid: Int64, ask: Int64), put: (bid: Int64, ask: Int64))?

        init(groups: Int, contracts: Int, sessionSeconds: Int) {
            slices = SecondSlices(groups: groups, sessionSeconds: sessionSeconds)
            cursors = CursorTable(count: contracts + 1)
        }

        /// The (bid, ask) of a contract at `second` (as `Market.quote(_:slice:)`).
        mutating func quote(_ terms: QuoteTerms, second: Int, market: Market) -> (bid: Int64, ask: Int64) {
            guard let right = terms.right else {
                return Market.futureQuote(slices.slice(group: terms.group, second: second, market: market))
            }
            if let last = lastStrike, last.second == second, last.strikePaise == terms.strikePaise, last.group == terms.group {
                return right == .call ? last.call : last.put
            }
            let slice = slices.slice(group: terms.group, second: second, market: market)
            let quotes = slice.quotes(strike: terms.strike, logStrike: terms.logStrike)
            lastStrike = (terms.group, terms.strikePaise, second, quotes.call, quotes.put)
            return right == .call ? quotes.call : quotes.put
        }
    }

    /// Contract `id`'s (bid, ask) at `second`, its tape through `second` and its opening mid.
    func answer(_ market: Market, id: Int, second: Int) -> (quote: (bid: Int64, ask: Int64), tape: TradeTape, openTicks: Int64) {
        checkMarket(market)
        return state.withLock { state in
            let answer = state.answer(market, id: id, second: second)
            return (answer.quote, answer.cursor.pointee.tape, answer.cursor.pointee.openTicks)
        }
    }

    /// Runs `body` on the cache's state under its lock, taken once for many contracts of `market`
    /// (checked once): a broker answering a quote call locks once per call instead of per entry.
    /// `body` must not use this cache's answers (the lock is not reentrant).
    @inline(__always)
    func withLockedState<Result>(_ market: Market, _ body: (inout State) -> Result) -> Result {
        checkMarket(market)
        return state.withLock { state in body(&state) }
    }

    /// Not inlined: inside the fused writer the array counts it compares would be calls.
    @inline(never)
    private func checkMarket(_ market: Market) {
        precondition(
            market.seed == seed && market.date == date && market.quoteTerms.count == contracts
                && market.quoteGroups.count == groups,
            "a QuoteCache serves the market it was made for (seed \(seed), \(date), \(contracts) contracts)")
    }
}

extension QuoteCache.State {
    /// `answer(_:id:second:)` (the tape and opening mid as the cursor holding them) and the text
    /// of the contract's Kite entry fields that are fixed (`token` is its instrument token) or
    /// change only with a trade, each printed when first asked (and at each new trade) and kept,
    /// lent to `body`. `contracts` is the cache's.
    ///
    /// Lent rather than returned, and by pointer into the cache's tables (valid only during
    /// `body`): a writer copies the texts (some 300 bytes) into its output straight from the
    /// tables, where an array element passed as a value is first copied whole onto the stack.
    @inline(__always)
    mutating func withAnswerAndText(
        _ market: Market, id: Int, second: Int, token: UInt32, contracts: Int,
        _ body: (
            _ quote: (bid: Int64, ask: Int64), _ cursor: UnsafePointer<TapeCursor>,
            _ text: UnsafePointer<KiteFixedText>, _ tapeText: UnsafePointer<KiteTapeText>
        ) -> Void
    ) {
        let (quote, cursor) = answer(market, id: id, second: second)
        updateTexts(id: id, token: token, cursor: cursor, contracts: contracts)
        // `updateTexts` has checked `id` against both tables.
        texts.withUnsafeBufferPointer { texts in
            tapeTexts.withUnsafeBufferPointer { tapeTexts in
                body(quote, cursor, texts.baseAddress.unsafelyUnwrapped + id, tapeTexts.baseAddress.unsafelyUnwrapped + id)
            }
        }
    }

    /// Brings contract `id`'s texts up to `cursor`'s tape and opening mid: the fixed text when
    /// first asked (or for a new open), the tape's text at each new trade count.
    @inline(__always)
    mutating func updateTexts(id: Int, token: UInt32, cursor: UnsafePointer<TapeCursor>, contracts: Int) {
        let openTicks = cursor.pointee.openTicks
        if texts.isEmpty {
            texts = [KiteFixedText](repeating: KiteFixedText(), count: contracts)
            tapeTexts = [KiteTapeText](repeating: KiteTapeText(), count: contracts)
        }
        if texts[id].isEmpty || texts[id].openTicks != openTicks {
            texts[id] = KiteFixedText(token: token, openTicks: openTicks)
            tapeTexts[id] = KiteTapeText()
        }
        // The tape after n trades is one tape, so its trade count keys its text.
        if tapeTexts[id].tradeCount != cursor.pointee.tape.tradeCount {
            tapeTexts[id] = KiteTapeText(tape: cursor.pointee.tape, openTicks: openTicks)
        }
    }

    /// The body of `QuoteCache.answer`, under the cache's lock: the quote, and the cursor holding
    /// the tape through `second` and the opening mid (valid until the next answer).
    @inline(__always)
    mutating func answer(_ market: Market, id: Int, second: Int)
        -> (quote: (bid: Int64, ask: Int64), cursor: UnsafePointer<TapeCursor>)
    {
        let terms = market.quoteTerms[id]  // checks `id` (the table has a slot for each of these and one more)
        let cursor = cursors.base + id
        if cursor.pointee.isUnopened { cursor.pointee = market.openingCursor(id) }
        // Cursors are advanced in place, never copied: a copy retains the minute's draws.
        if cursor.pointee.second <= second {
            cursor.pointee.advance(through: second, terms: terms, market: market, slices: &slices)
            return (quote(terms, second: second, market: market), UnsafePointer(cursor))
        }
        // An earlier second than the contract's cursor: replay in the scratch slot, and keep the cursor.
        let scratch = cursors.base + (cursors.count - 1)
        scratch.pointee = market.openingCursor(id)
        scratch.pointee.advance(through: second, terms: terms, market: market, slices: &slices)
        return (quote(terms, second: second, market: market), UnsafePointer(scratch))
    }
}

/// A fixed number of tape cursors in memory of their own, read and advanced in place through a
/// pointer: an array would check its uniqueness and an optional its case on every access.
/// Guarded by its cache's lock (hence unchecked `Sendable`: only the cache's `Mutex` hands it to
/// another thread, inside the `State` it guards).
final class CursorTable: @unchecked Sendable {
    let base: UnsafeMutablePointer<TapeCursor>
    let count: Int

    /// `count` unopened cursors.
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: .unopened, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// Every group's slices by second of the session, each built on first use, in 64-second pages.
///
/// A group keeps the pages from two before its newest onwards: a broker walking forward touches
/// only recent seconds, so memory stays near 25 KB per group instead of 2.7 MB for a whole day.
/// A page dropped and asked again is rebuilt (the same slices), so eviction costs time only.
struct SecondSlices: SliceSource, Sendable {
    static let pageShift = 6
    static let pageSize = 1 << pageShift
    static let pagesKeptBehind = 2

    /// Page `p` of group `g` at `g * pagesPerGroup + p`; an empty page is not built (or dropped).
    private var pages: [[ExpirySlice?]]
    private var newest: [Int]
    private let pagesPerGroup: Int
    /// By group, the slice returned last and its second: a quote call asks for all its contracts
    /// at one second, so nearly every ask repeats its group's previous one.
    private var lastSeconds: [Int]
    private var lastSlices: [ExpirySlice?]

    init(groups: Int, sessionSeconds: Int) {
        pagesPerGroup = sessionSeconds >> Self.pageShift + 1
        pages = [[ExpirySlice?]](repeating: [], count: groups * pagesPerGroup)
        newest = [Int](repeating: -1, count: groups)
        lastSeconds = [Int](repeating: .min, count: groups)
        lastSlices = [ExpirySlice?](repeating: nil, count: groups)
    }

    @inline(__always)
    mutating func slice(group: Int, second: Int, market: Market) -> ExpirySlice {
        if lastSeconds[group] == second { return lastSlices[group].unsafelyUnwrapped }
        let slice = pagedSlice(group: group, second: second, market: market)
        lastSeconds[group] = second
        lastSlices[group] = slice
        return slice
    }

    /// The slice from its page, built on first use.
    @inline(never)
    private mutating func pagedSlice(group: Int, second: Int, market: Market) -> ExpirySlice {
        let page = second >> Self.pageShift
        let slot = group * pagesPerGroup + page
        if pages[slot].isEmpty {
            pages[slot] = [ExpirySlice?](repeating: nil, count: Self.pageSize)
            if page > newest[group] {
                for old in max(0, newest[group] - Self.pagesKeptBehind)..<max(0, page - Self.pagesKeptBehind) {
                    pages[group * pagesPerGroup + old] = []
                }
                newest[group] = page
            }
        }
        let offset = second & (Self.pageSize - 1)
        if let cached = pages[slot][offset] { return cached }
        let computed = market.groupSlice(group, second: second)
        pages[slot][offset] = computed
        return computed
    }
}
