/// A market-wide trading halt set off by SEBI's index-based circuit breaker (market-invariants.md §37).
///
/// When NIFTY 50 or SENSEX, whichever first, moves 10%, 15% or 20% from its previous close, all
/// equity and equity-derivative trading halts. The halt and the 15-minute pre-open call auction that
/// follows it depend on the level and the time of day (NSE, per SEBI circular CIR/MRD/DP/25/2013):
///
/// | move | trigger time (IST)    | halt        | pre-open |
/// |------|-----------------------|-------------|----------|
/// | 10%  | before 13:00          | 45 min      | 15 min   |
/// | 10%  | 13:00 up to 14:30     | 15 min      | 15 min   |
/// | 10%  | at or after 14:30     | no halt     | —        |
/// | 15%  | before 13:00          | 1 h 45 min  | 15 min   |
/// | 15%  | 13:00 up to 14:00     | 45 min      | 15 min   |
/// | 15%  | at or after 14:00     | rest of day | —        |
/// | 20%  | any time              | rest of day | —        |
///
/// In the model the second that crosses a limit still trades; from the next second until trading
/// resumes (after the pre-open) nothing trades and every quote, index level and timestamp stays at
/// that last traded second. Trading resumes at the path's level then, so the re-open may gap. Each
/// limit triggers at most once a day; a re-open beyond the next limit triggers it at once.
public struct MarketHalt: Sendable, Equatable {
    /// The limit crossed: 10, 15 or 20 (% from the previous close).
    public var limitPercent: Int
    /// The index that crossed it first (`NIFTY` or `SENSEX`).
    public var index: String
    /// The last traded second (the one that crossed the limit), in seconds of the session.
    public var lastTradedSecond: Int
    /// The first second trading resumes (after the pre-open), or `sessionSeconds + 1` for the rest of the day.
    public var resumesAt: Int

    /// Whether `second` (of the session) falls inside the halt.
    public func contains(_ second: Int) -> Bool { second > lastTradedSecond && second < resumesAt }

    /// The indices whose moves trigger the market-wide circuit breaker.
    public static let triggerIndices = ["NIFTY", "SENSEX"]

    /// Frozen seconds (halt plus pre-open) for a limit crossed at `secondOfDay` (IST), or nil for no
    /// halt; `Int.max` halts for the rest of the day.
    static func frozenSeconds(limitPercent: Int, secondOfDay: Int) -> Int? {
        let one = 13 * 3600, two = 14 * 3600, twoThirty = 14 * 3600 + 1800
        let preOpen = 15 * 60
        switch limitPercent {
        case 10:
            if secondOfDay < one { return 45 * 60 + preOpen }
            if secondOfDay < twoThirty { return 15 * 60 + preOpen }
            return nil
        case 15:
            if secondOfDay < one { return 105 * 60 + preOpen }
            if secondOfDay < two { return 45 * 60 + preOpen }
            return Int.max
        default:
            return Int.max
        }
    }

    /// The day's halts for trigger-index paths `levels` (each per second 0…sessionSeconds, with its
    /// previous close), in time order.
    static func circuitBreaker(
        _ paths: [(index: String, level: [Double], previousClose: Double)], openSecond: Int, sessionSeconds: Int
    ) -> [MarketHalt] {
        var halts: [MarketHalt] = []
        var triggered: Set<Int> = []
        var s = 0
        // A crossing at the close itself halts nothing: no second is left to halt.
        while s < sessionSeconds {
            // The highest limit newly crossed at s by the first index (in trigger order) to cross it. The
            // limits are points off the previous close (NSE publishes them so), compared without a ratio,
            // so a move of exactly 10.00% triggers.
            var crossing: (limit: Int, index: String)?
            for path in paths where s < path.level.count {
                let move = abs(path.level[s] - path.previousClose)
                for limit in [20, 15, 10] where !triggered.contains(limit) && move >= path.previousClose * Double(limit) / 100 {
                    if crossing == nil || limit > crossing!.limit { crossing = (limit, path.index) }
                    break
                }
            }
            guard let crossing else {
                s += 1
                continue
            }
            for limit in [10, 15, 20] where limit <= crossing.limit { triggered.insert(limit) }
            guard let frozen = frozenSeconds(limitPercent: crossing.limit, secondOfDay: openSecond + s) else {
                s += 1
                continue
            }
            let resumes = frozen == Int.max ? sessionSeconds + 1 : min(sessionSeconds + 1, s + 1 + frozen)
            halts.append(MarketHalt(limitPercent: crossing.limit, index: crossing.index, lastTradedSecond: s, resumesAt: resumes))
            s = resumes
        }
        return halts
    }
}
