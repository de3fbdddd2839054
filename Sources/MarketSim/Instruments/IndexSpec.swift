/// One index's contract specification and model defaults, with its dated rule tables.
///
/// Rules are keyed by a contract's expiry date (see the fixture's `sources`), so simulating any
/// date applies the lot size and expiry weekdays in force for the contracts listed that day.
public struct IndexSpec: Sendable, Equatable {
    /// Kite `name` of the derivatives (e.g. `NIFTY`).
    public var name: String
    /// Spot tradingsymbol (e.g. `NIFTY 50`).
    public var spotSymbol: String
    /// Spot exchange (`NSE` or `BSE`).
    public var exchange: String
    /// Derivatives exchange (`NFO` or `BFO`).
    public var foExchange: String
    /// Instrument token of the spot index (segment 9, INDICES).
    public var spotToken: Int64
    /// Low byte of derivative instrument tokens (2 NFO, 5 BFO).
    public var foSegmentCode: Int64
    /// Small stable number (0…7) used in derived tokens and random streams.
    public var number: Int
    /// Strike interval in paise (5,000 = ₹50).
    public var strikeStepPaise: Int64
    /// Strikes listed each side of the at-the-money strike on each day.
    public var strikesEachSide: Int
    /// How many weekly and monthly expiries are listed at once.
    public var weekliesListed: Int
    public var monthliesListed: Int
    /// The level on the anchor date from which daily closes are simulated.
    public var anchorDate: TradingDate
    public var anchorLevel: Double
    /// Continuous dividend yield used in the forward, per year.
    public var dividendYield: Double
    /// Path, surface and trading parameters.
    public var model: IndexModel
    public var lots: [DatedLot]
    public var weekly: [WeekdayRule]
    public var monthly: [WeekdayRule]

    /// The lot size for a contract expiring on `expiry`.
    public func lotSize(expiry: TradingDate) -> Int64 {
        let rule = lots.last { $0.expiryFrom <= expiry } ?? lots[0]
        return rule.lot
    }

    /// The weekly rule for the ISO week starting `monday`, if weeklies exist that week.
    public func weeklyExpiryNominal(weekOf monday: TradingDate) -> TradingDate? {
        for rule in weekly.reversed() {
            let candidate = monday.adding(days: rule.isoWeekday - 1)
            if rule.covers(candidate) { return candidate }
        }
        return nil
    }

    /// The nominal monthly expiry (before holiday adjustment) in the month starting `firstOfMonth`.
    public func monthlyExpiryNominal(monthOf firstOfMonth: TradingDate) -> TradingDate? {
        for rule in monthly.reversed() {
            let candidate = firstOfMonth.lastWeekdayOfMonth(rule.isoWeekday)
            if rule.covers(candidate) { return candidate }
        }
        return nil
    }
}

/// A lot size applying to contracts that expire on or after `expiryFrom`.
public struct DatedLot: Sendable, Equatable {
    public var expiryFrom: TradingDate
    public var lot: Int64
}

/// "Contracts expiring in [expiryFrom, expiryTo] expire on ISO weekday `isoWeekday`".
public struct WeekdayRule: Sendable, Equatable {
    public var expiryFrom: TradingDate
    public var expiryTo: TradingDate?
    /// 1 = Monday … 5 = Friday.
    public var isoWeekday: Int

    func covers(_ date: TradingDate) -> Bool {
        date >= expiryFrom && (expiryTo.map { date <= $0 } ?? true)
    }
}

/// Per-index parameters of the path, surface and trade models (see `fixtures/markets`).
public struct IndexModel: Sendable, Equatable {
    /// Long-run annualised volatility of the index.
    public var vol: Double
    /// Volatility of the log-volatility (daily regime and intraday clustering).
    public var volOfVol: Double
    /// Loading on the common market factor; 1 for the market itself.
    public var beta: Double
    /// Expected jumps per session, their mean and standard deviation in log return.
    public var jumpsPerDay: Double
    public var jumpMean: Double
    public var jumpVol: Double
    /// Standard deviation of the overnight gap in log return.
    public var gapVol: Double
    /// SSVI correlation parameter (skew) and power-law η (smile curvature).
    public var skewRho: Double
    public var smileEta: Double
    /// Implied over realised variance, the variance risk premium.
    public var variancePremium: Double
    /// Trades per minute for an at-the-money, nearest-expiry contract at midday.
    public var tradesPerMinute: Double
}
