/// A scheduled market event: a jump in an index's level, or a window of raised volatility.
///
/// Shocks are how a scenario stages a crash, a rally or a volatility spike at a chosen time, so a
/// platform's analytics, alerts and dashboards can be exercised against them off-market. They are
/// applied to the intraday path deterministically, on top of the seeded path:
///
/// - `jump`: the index's log level moves by `logReturn` between `second` and `second + 1` and stays
///   moved for the rest of the session (the session's close moves with it; the days around it keep
///   their skeleton levels). Futures, the surface's forwards and every option follow the level.
/// - `volatility`: from `second` up to (not including) `untilSecond`, the index's instantaneous
///   volatility is multiplied by `factor`: realised moves grow by `factor`, and the implied-vol
///   surface, which follows the variance state, rises with it (total variance × `factor²` at short
///   maturities). The walk is still bridged onto the skeleton's close.
///
/// Seconds are seconds of the session (0 = 09:15:00 IST). Listed strikes do not re-centre on a
/// jump, so a jump beyond the listed strike range leaves the money outside the chain.
public struct MarketShock: Sendable, Equatable {
    /// What the shock does.
    public enum Kind: Sendable, Equatable {
        /// A jump in log level (−0.05 is a fall of 1 − e^−0.05 ≈ 4.9%).
        case jump(logReturn: Double)
        /// Volatility × `factor` until `untilSecond` (exclusive, seconds of the session).
        case volatility(factor: Double, untilSecond: Int)
    }

    /// The session the shock belongs to.
    public var date: TradingDate
    /// Second of the session at which it starts.
    public var second: Int
    /// The index it hits (`NIFTY`, …), or nil for every simulated index.
    public var index: String?
    public var kind: Kind

    public init(date: TradingDate, second: Int, index: String?, kind: Kind) {
        self.date = date
        self.second = second
        self.index = index
        self.kind = kind
    }

    /// Whether the shock applies to `index` on `date`.
    public func applies(to index: String, on date: TradingDate) -> Bool {
        self.date == date && (self.index == nil || self.index == index)
    }
}

extension IntradayPath {
    /// Per-second volatility multipliers of `shocks` (nil when none raises volatility), for seconds 0…n.
    static func volatilityMultipliers(_ shocks: [MarketShock], sessionSeconds n: Int) -> [Double]? {
        var multipliers: [Double]?
        for shock in shocks {
            guard case .volatility(let factor, let until) = shock.kind else { continue }
            var values = multipliers ?? [Double](repeating: 1, count: n + 1)
            for s in max(0, shock.second)..<max(max(0, shock.second), min(until, n + 1)) { values[s] *= factor }
            multipliers = values
        }
        return multipliers
    }

    /// The cumulative log jump of `shocks` at each second 0…n (nil when there is none): a jump at
    /// second s shows from second s + 1 on.
    static func scheduledJumps(_ shocks: [MarketShock], sessionSeconds n: Int) -> [Double]? {
        var offsets: [Double]?
        for shock in shocks {
            guard case .jump(let logReturn) = shock.kind, shock.second >= 0, shock.second < n else { continue }
            var values = offsets ?? [Double](repeating: 0, count: n + 1)
            for s in (shock.second + 1)...n { values[s] += logReturn }
            offsets = values
        }
        return offsets
    }
}
