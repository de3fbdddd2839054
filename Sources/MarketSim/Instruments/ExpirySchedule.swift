/// One listed expiry of an index: its date, whether it is the month's expiry, and its bucket names.
public struct ExpiryListing: Sendable, Hashable, Comparable {
    /// The expiry date (contracts stop trading at the 15:30 IST close that day).
    public var date: TradingDate
    /// True for the month's last expiry, which uses the monthly tradingsymbol form.
    public var isMonthly: Bool
    /// Collector bucket names, nearest first: `current_week`, `next_week`, `week_3`…,
    /// `current_month`, `next_month`, `far_month`, `month_4`…; a date may carry two.
    public var buckets: [String]

    public static func < (lhs: ExpiryListing, rhs: ExpiryListing) -> Bool { lhs.date < rhs.date }
}

/// Expiry dates from the dated weekday rules and the holiday calendar.
///
/// A nominal expiry falls on the rule's weekday; when that date is a holiday the contract expires
/// on the previous trading day. A weekly that lands on the monthly date is the monthly contract.
extension MarketSpec {
    /// The weekly expiry in the ISO week starting `monday`, holiday-adjusted, if the index has one.
    public func weeklyExpiry(_ index: IndexSpec, weekOf monday: TradingDate) -> TradingDate? {
        index.weeklyExpiryNominal(weekOf: monday).map(calendar.tradingDay(onOrBefore:))
    }

    /// The monthly expiry in the month starting `firstOfMonth`, holiday-adjusted.
    public func monthlyExpiry(_ index: IndexSpec, monthOf firstOfMonth: TradingDate) -> TradingDate? {
        index.monthlyExpiryNominal(monthOf: firstOfMonth).map(calendar.tradingDay(onOrBefore:))
    }

    /// The expiries listed for trading on `date` (an expiry trades on its own date), nearest first.
    public func listedExpiries(_ index: IndexSpec, on date: TradingDate) -> [ExpiryListing] {
        var monthlies: [TradingDate] = []
        var month = 0
        while monthlies.count < index.monthliesListed, month < index.monthliesListed + 3 {
            if let expiry = monthlyExpiry(index, monthOf: date.firstOfMonth(addingMonths: month)), expiry >= date {
                monthlies.append(expiry)
            }
            month += 1
        }
        var weeklies: [TradingDate] = []
        var week = 0
        while weeklies.count < index.weekliesListed, week < index.weekliesListed + 2 {
            if let expiry = weeklyExpiry(index, weekOf: date.mondayOfWeek.adding(days: 7 * week)), expiry >= date {
                weeklies.append(expiry)
            }
            week += 1
        }
        var dates = monthlies
        for weekly in weeklies where !dates.contains(weekly) { dates.append(weekly) }
        dates.sort()
        let hasWeeklies = weeklies.contains { !monthlies.contains($0) }
        return dates.enumerated().map { position, expiry in
            var buckets: [String] = []
            if hasWeeklies, weeklies.contains(expiry) {
                buckets.append(position == 0 ? "current_week" : position == 1 ? "next_week" : "week_\(position + 1)")
            }
            if let rank = monthlies.firstIndex(of: expiry) {
                buckets.append(rank < 3 ? ["current_month", "next_month", "far_month"][rank] : "month_\(rank + 1)")
            }
            return ExpiryListing(date: expiry, isMonthly: monthlies.contains(expiry), buckets: buckets)
        }
    }

    /// The first trading day on which `expiry` was listed, walking back from `date` (bounded).
    func listingStart(_ index: IndexSpec, expiry: TradingDate, from date: TradingDate) -> TradingDate {
        var first = date
        var day = date
        for _ in 0..<200 {
            let previous = calendar.tradingDay(before: day)
            guard previous >= index.anchorDate, previous >= simulatedFrom,
                listedExpiries(index, on: previous).contains(where: { $0.date == expiry })
            else { break }
            first = previous
            day = previous
        }
        return first
    }
}
