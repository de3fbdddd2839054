/// Daily opens and closes of every index from its anchor date, the skeleton intraday paths bridge between.
///
/// One step per trading day: a volatility regime (log-AR(1), shared by all indices so vols co-move),
/// an overnight gap and an open-to-close return, both loading on a common market factor with the
/// index's beta. The log level reverts slowly (half-life six months) toward a trend growing 6.5% a
/// year from the anchor, so years of simulation stay near plausible levels (±9% typical) instead
/// of wandering like an unbounded random walk. A few normals per day make years of history cost
/// about a millisecond, so the close of any day is a pure function of (seed, index, day) without
/// simulating every second.
public struct DailySkeleton: Sendable {
    /// One index's session on one day.
    public struct Day: Sendable, Equatable {
        public var date: TradingDate
        /// The previous session's close (the anchor level before the first day).
        public var previousClose: Double
        public var open: Double
        public var close: Double
        /// Annualised volatility in force for the session (regime × long-run vol).
        public var vol: Double
    }

    /// Trading days from the first anchor to the last simulated date, in order.
    public let dates: [TradingDate]
    /// Per index number (0…7), the day records aligned with `dates` (empty for unused numbers).
    let days: [[Day]]

    /// Trading days per year, the annualisation of realised variance.
    public static let tradingDaysPerYear = 252.0
    static let regimePersistence = 0.97
    /// Trend growth per year and the daily pull of the log level toward the trend (ln 2 / 126).
    static let trendGrowth = 0.065
    static let reversionPerDay = 0.6931471805599453 / 126

    public init(seed: UInt64, spec: MarketSpec) {
        let random = CounterRandom(seed: seed)
        let start = spec.indices.map(\.anchorDate).min() ?? spec.simulatedFrom
        var dates: [TradingDate] = []
        var day = spec.calendar.tradingDay(onOrBefore: start)
        if day < start { day = spec.calendar.tradingDay(after: day) }
        while day <= spec.simulatedTo {
            dates.append(day)
            day = spec.calendar.tradingDay(after: day)
        }
        self.dates = dates
        var days = [[Day]](repeating: [], count: 8)
        // The market-wide regime: x_d = φ·x_{d−1} + √(1−φ²)·ε, scaled per index by its vol of vol.
        var regime: [Double] = []
        regime.reserveCapacity(dates.count)
        var x = 0.0
        let phi = DailySkeleton.regimePersistence
        for date in dates {
            let e = random.normal(stream: RandomStreams.dailyRegime, index: UInt64(date.daysSinceEpoch))
            x = phi * x + (1 - phi * phi).squareRoot() * e
            regime.append(x)
        }
        for index in spec.indices {
            let m = index.model
            var close = index.anchorLevel
            var records: [Day] = []
            records.reserveCapacity(dates.count)
            let idiosyncratic = (1 - m.beta * m.beta).squareRoot()
            for (i, date) in dates.enumerated() {
                let key = UInt64(date.daysSinceEpoch)
                let logVol = m.volOfVol * regime[i] - 0.5 * m.volOfVol * m.volOfVol
                let vol = m.vol * PortableMath.exp(logVol)
                guard date >= index.anchorDate else {
                    records.append(Day(date: date, previousClose: close, open: close, close: close, vol: vol))
                    continue
                }
                let gapShock = m.beta * random.normal(stream: RandomStreams.dailyGapMarket, index: key)
                    + idiosyncratic * random.normal(stream: CounterRandom.stream(RandomStreams.dailyGapIndex, UInt64(index.number)), index: key)
                let shock = m.beta * random.normal(stream: RandomStreams.dailyMarket, index: key)
                    + idiosyncratic * random.normal(stream: CounterRandom.stream(RandomStreams.dailyIndex, UInt64(index.number)), index: key)
                let gapVol = m.gapVol * vol / m.vol
                let open = close * PortableMath.exp(gapVol * gapShock - 0.5 * gapVol * gapVol)
                let dailyVariance = vol * vol / DailySkeleton.tradingDaysPerYear
                let years = Double(date.daysSinceEpoch - index.anchorDate.daysSinceEpoch) / 365
                let gapFromTrend = PortableMath.log(open / index.anchorLevel) - DailySkeleton.trendGrowth * years
                let pull = -DailySkeleton.reversionPerDay * gapFromTrend
                let newClose = open * PortableMath.exp(dailyVariance.squareRoot() * shock - 0.5 * dailyVariance + pull)
                records.append(Day(date: date, previousClose: close, open: open, close: newClose, vol: vol))
                close = newClose
            }
            days[index.number] = records
        }
        self.days = days
    }

    /// The record of index number `index` on trading day `date`, if simulated.
    public func day(index: Int, date: TradingDate) -> Day? {
        var low = 0
        var high = dates.count
        while low < high {
            let mid = (low + high) / 2
            if dates[mid] < date { low = mid + 1 } else { high = mid }
        }
        guard low < dates.count, dates[low] == date, index < days.count, !days[index].isEmpty else { return nil }
        return days[index][low]
    }
}
