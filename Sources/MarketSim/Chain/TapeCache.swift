import Synchronization

/// Remembers each contract's trade tape at the last second asked, so a caller walking forward in
/// time (a broker serving a session) extends tapes instead of replaying them from the open.
///
/// Answers never depend on the cache: extending a tape from second s₁ to s₂ applies exactly the
/// trades a replay would apply after s₁, in the same order; asking for an earlier second replays.
public final class TapeCache: Sendable {
    private let tapes = Mutex<[Int64: (second: Int, tape: TradeTape)]>([:])

    public init() {}

    func tape(_ token: Int64, atOrBefore second: Int) -> (second: Int, tape: TradeTape)? {
        tapes.withLock { table in
            guard let entry = table[token], entry.second <= second else { return nil }
            return entry
        }
    }

    func store(_ token: Int64, second: Int, tape: TradeTape) {
        tapes.withLock { table in
            if let existing = table[token], existing.second > second { return }
            table[token] = (second, tape)
        }
    }
}

extension TradeTape {
    /// `tape` after also applying the trades with `after < second ≤ through`, in replay order.
    static func extend(
        _ tape: TradeTape, after: Int, random: CounterRandom, stream: UInt64, day: TradingDate, lotSize: Int64,
        through second: Int, sessionSeconds: Int, intensity: (Int) -> Double, quoteAt: (Int) -> (bid: Int64, ask: Int64)
    ) -> TradeTape {
        var tape = tape
        guard second > after, second >= 0 else { return tape }
        let first = max(0, after) / 60
        let last = min(second, sessionSeconds - 1) / 60
        guard first <= last else { return tape }
        for minute in first...last {
            let trades = TradeTape.trades(
                random: random, stream: stream, day: day, minute: minute, lambda: intensity(minute),
                sessionSeconds: sessionSeconds)
            for trade in trades where trade.second > after && trade.second <= second {
                tape.apply(trade, quote: quoteAt(trade.second), lotSize: lotSize)
            }
        }
        return tape
    }
}
