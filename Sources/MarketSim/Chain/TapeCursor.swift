/// A contract's trade tape at some second, walked forward by the on-demand quote path.
///
/// Besides the tape it keeps the draws of the minute it stopped in and how many of them it has
/// applied, so asking again a second later applies the new trades without redrawing the minute.
/// Advancing from second s₁ to s₂ applies exactly the trades a replay from the open applies after
/// s₁, in the same order (by second, then draw number) and against the same quotes, so a cursor
/// advanced in any number of steps holds the replay's tape.
struct TapeCursor: Sendable {
    /// The tape after every trade up to and including `second` (−1: none yet).
    var tape: TradeTape
    var second = -1
    /// The session's opening mid in ticks (the last price before the first trade).
    var openTicks: Int64
    /// The draws of `minute` (−1: none held) and how many of them are applied.
    var minute = -1
    var draws: [TradeTape.Draw] = []
    var next = 0

    init(tape: TradeTape, openTicks: Int64) {
        self.tape = tape
        self.openTicks = openTicks
    }

    /// A placeholder for a contract not yet asked (`isUnopened`); never advanced.
    static let unopened: TapeCursor = {
        var cursor = TapeCursor(tape: TradeTape(openInterest: 0), openTicks: 0)
        cursor.second = .min
        return cursor
    }()

    /// Whether this is `unopened` (an opened cursor's `second` is −1 or later).
    var isUnopened: Bool { second == .min }

    /// Applies the contract's trades with `self.second < trade second ≤ target`, in replay order.
    ///
    /// Most asks (a poll a second, a trade every few seconds) stay in the minute already drawn and
    /// find no trade due: that case only moves `second`, here, without the call.
    @inline(__always)
    mutating func advance<Slices: SliceSource>(
        through target: Int, terms: QuoteTerms, market: Market, slices: inout Slices
    ) {
        if target > second, minute >= 0, max(0, second) / 60 == minute,
            min(target, market.sessionSeconds - 1) / 60 == minute,
            next >= draws.count || draws[next].second > target
        {
            second = target  // what the loop below does when its only minute is held and has no trade due
            return
        }
        advanceApplying(through: target, terms: terms, market: market, slices: &slices)
    }

    /// `advance(through:terms:market:slices:)` in full: draws each minute passed, applies its trades.
    @inline(never)
    private mutating func advanceApplying<Slices: SliceSource>(
        through target: Int, terms: QuoteTerms, market: Market, slices: inout Slices
    ) {
        let after = second
        guard target > after, target >= 0 else { return }
        let sessionSeconds = market.sessionSeconds
        let first = max(0, after) / 60
        let last = min(target, sessionSeconds - 1) / 60
        if first <= last {
            for m in first...last {
                if minute != m {
                    draws = TradeTape.trades(
                        key: terms.tradesKey, day: market.date, minute: m,
                        lambda: market.tradeIntensity(terms, minute: m), sessionSeconds: sessionSeconds, halts: market.halts)
                    minute = m
                    next = 0
                    // Draws are sorted by second; those up to `after` are already in the tape.
                    while next < draws.count, draws[next].second <= after { next += 1 }
                }
                while next < draws.count, draws[next].second <= target {
                    let draw = draws[next]
                    let slice = slices.slice(group: terms.group, second: draw.second, market: market)
                    tape.apply(draw, quote: market.quote(terms, slice: slice), lotSize: terms.lotSize)
                    next += 1
                }
            }
        }
        second = target
    }
}

/// Where the quote path gets the pricing slice of a group at a second; every source returns
/// exactly `Market.groupSlice(_:second:)`, only the sharing differs.
protocol SliceSource {
    mutating func slice(group: Int, second: Int, market: Market) -> ExpirySlice
}

/// Slices computed during one uncached question: minute slices from the market's table, others memoised.
struct SliceMemo: SliceSource {
    private var memo: [Int: ExpirySlice] = [:]

    mutating func slice(group: Int, second: Int, market: Market) -> ExpirySlice {
        if second % 60 == 0 { return market.minuteSlice(group, minute: second / 60) }
        let key = group << 20 | second
        if let cached = memo[key] { return cached }
        let computed = market.groupSlice(group, second: second)
        memo[key] = computed
        return computed
    }
}
