@testable import MarketSim

/// Generated (seed, session, index, instants) cases for property tests, from a fixed master seed.
///
/// Markets are the expensive part (one path per index per session), so each case market is asked
/// about several instants; `count` markets × `instants` gives the number of generated cases.
enum MarketCases {
    struct Case {
        var seed: UInt64
        var market: Market
        var index: String
        var seconds: [Int]
    }

    static let spec = MarketSpec.standard

    /// A trading date drawn uniformly from the simulated range.
    static func date(_ random: CounterRandom, _ i: Int) -> TradingDate {
        let span = spec.simulatedTo.daysSinceEpoch - spec.simulatedFrom.daysSinceEpoch
        let day = spec.simulatedFrom.adding(days: Int(random.uniform(stream: 1, index: UInt64(i)) * Double(span)))
        return spec.calendar.tradingDay(onOrBefore: day) >= spec.simulatedFrom
            ? spec.calendar.tradingDay(onOrBefore: day) : spec.calendar.tradingDay(after: day)
    }

    /// `count` markets, each with `instants` seconds of its session (the open, the close and random).
    static func cases(count: Int, instants: Int, master: UInt64 = 0x5EED) -> [Case] {
        let random = CounterRandom(seed: master)
        let names = spec.indices.map(\.name)
        return (0..<count).map { i in
            let seed = random.words(stream: 2, index: UInt64(i)).0
            let index = names[i % names.count]
            let market = try! Market(seed: seed, date: date(random, i), indices: [index])
            var seconds = [0, market.sessionSeconds]
            for j in 0..<max(0, instants - 2) {
                seconds.append(Int(random.uniform(stream: 3, index: UInt64(i * 64 + j)) * Double(market.sessionSeconds + 1)))
            }
            return Case(seed: seed, market: market, index: index, seconds: Array(seconds.prefix(instants)))
        }
    }

    /// The shared pool: 12 markets × 17 instants = 204 chains (markets cost ~0.3 s each in debug).
    static let pool: [Case] = cases(count: 12, instants: 17)
}
