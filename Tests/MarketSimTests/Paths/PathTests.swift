import Testing

@testable import MarketSim

@Suite struct PathTests {
    static let date = TradingDate(year: 2025, month: 6, day: 10)

    @Test("200 generated (seed, day, index) paths stay positive and open at the skeleton's open and close at its close")
    func positiveAndBridged() {
        let spec = MarketSpec.standard
        let random = CounterRandom(seed: 21)
        var skeleton = DailySkeleton(seed: 0, spec: spec)
        for i in 0..<200 {
            let seed = random.words(stream: 1, index: UInt64(i / 10)).0
            if i % 10 == 0 { skeleton = DailySkeleton(seed: seed, spec: spec) }  // 20 seeds × 10 days
            let date = MarketCases.date(random, i)
            let index = spec.indices[i % spec.indices.count]
            let day = skeleton.day(index: index.number, date: date)!
            #expect(day.open > 0 && day.close > 0 && day.previousClose > 0 && day.vol > 0)
            #expect(day.open != day.previousClose)  // an overnight gap
            if i % 25 == 0 {
                let path = IntradayPath(seed: seed, spec: index, day: day, sessionSeconds: spec.calendar.sessionSeconds)
                #expect(path.level.allSatisfy { $0 > 0 })
                #expect(path.variance.allSatisfy { $0 > 0 })
                #expect(abs(path.level[0] / day.open - 1) < 1e-12)
                #expect(abs(path.level.last! / day.close - 1) < 1e-12)
            }
        }
    }

    static let spec = MarketSpec.standard
    static let skeleton = DailySkeleton(seed: 7, spec: spec)

    /// The path of `name` on the `day`-th trading day from 2025-06-10 under seed 7.
    static func path(_ name: String, day: Int) -> IntradayPath {
        var date = date
        for _ in 0..<day { date = spec.calendar.tradingDay(after: date) }
        let index = spec.index(named: name)!
        return IntradayPath(seed: 7, spec: index, day: skeleton.day(index: index.number, date: date)!,
                            sessionSeconds: spec.calendar.sessionSeconds)
    }

    /// One-minute log returns over a session.
    static func minuteReturns(_ path: IntradayPath) -> [Double] {
        stride(from: 60, through: path.level.count - 1, by: 60).map { PortableMath.log(path.level[$0] / path.level[$0 - 60]) }
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count)
        let mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb)
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    @Test("NIFTY, BANKNIFTY and FINNIFTY move together: one-minute return correlation above 0.6 over 6 sessions")
    func correlatedIndices() {
        var nifty: [Double] = []
        var bank: [Double] = []
        var fin: [Double] = []
        for day in 0..<6 {
            nifty += Self.minuteReturns(Self.path("NIFTY", day: day))
            bank += Self.minuteReturns(Self.path("BANKNIFTY", day: day))
            fin += Self.minuteReturns(Self.path("FINNIFTY", day: day))
        }
        #expect(Self.correlation(nifty, bank) > 0.6)
        #expect(Self.correlation(nifty, fin) > 0.6)
    }

    @Test("intraday U-shape and clustering over 12 sessions: open and close buckets exceed the midday minimum; |returns| autocorrelate")
    func intradayShapeAndClustering() {
        var buckets = [Double](repeating: 0, count: 25)
        var autocorrelations: [Int: [Double]] = [1: [], 5: [], 15: [], 30: []]
        for day in 0..<12 {
            let path = Self.path("NIFTY", day: day)
            for (minute, r) in Self.minuteReturns(path).enumerated() { buckets[minute / 15] += abs(r) }
            // Deseasonalised absolute one-second returns, summed per minute.
            var absolute: [Double] = []
            for minute in 0..<375 {
                var sum = 0.0
                for s in (minute * 60)..<(minute * 60 + 60) {
                    sum += abs(PortableMath.log(path.level[s + 1] / path.level[s]))
                        / IntradaySeasonality.volatility((Double(s) + 0.5) / 22_500)
                }
                absolute.append(sum)
            }
            for lag in [1, 5, 15, 30] {
                autocorrelations[lag]!.append(Self.correlation(Array(absolute.dropLast(lag)), Array(absolute.dropFirst(lag))))
            }
        }
        let midday = buckets[8..<18].min()!
        #expect(buckets[0] / midday >= 1.5)
        #expect(buckets[24] / midday >= 1.1)
        #expect(IntradaySeasonality.activity(0.01) / IntradaySeasonality.activity(0.5) >= 1.5)
        #expect(IntradaySeasonality.activity(0.99) / IntradaySeasonality.activity(0.5) >= 1.2)
        for lag in [1, 5, 15, 30] {
            let mean = autocorrelations[lag]!.reduce(0, +) / 12
            #expect(mean > 2 / (12 * 375.0).squareRoot(), "lag \(lag): mean ACF \(mean)")
        }
    }

    @Test("INDIA VIX tracks the NIFTY surface: at or above the 30-day ATM implied volatility (the skew adds variance), within 6 points")
    func indiaVIX() throws {
        for seed in UInt64(1)...3 {
            let market = try Market(seed: seed, date: Self.date, indices: ["NIFTY"])
            for second in [0, 10_000, 22_500] {
                let vix = market.indiaVIX(second: second)
                let expiries = try market.expiries(index: "NIFTY")
                let slices = try expiries.map { try market.slice(index: "NIFTY", expiry: $0.date, second: second) }
                let target = 30.0 / 365
                let near = slices.last { $0.tau <= target }!
                let far = slices.first { $0.tau > target }!
                let theta = near.theta + (target - near.tau) / (far.tau - near.tau) * (far.theta - near.theta)
                let atm = 100 * (theta / target).squareRoot()
                #expect(vix > 5 && vix < 60)
                #expect(vix >= atm - 0.25 && vix <= atm + 6, "VIX \(vix) vs ATM \(atm)")
                let quote = market.quote(token: 264969, at: market.spec.calendar.time(market.date, secondOfSession: second))
                #expect(quote?.lastPricePaise == Int64((vix * 100).rounded()))
            }
        }
    }
}
