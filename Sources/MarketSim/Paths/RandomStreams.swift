/// The named random streams of the market model, so every draw's key is written down once.
///
/// Each stream is keyed further by index number, day (days since epoch) or contract; the counter
/// index is a second, minute or day. Nothing depends on the order in which draws are made.
enum RandomStreams {
    static let dailyMarket = CounterRandom.stream("market/daily/return")
    static let dailyIndex = CounterRandom.stream("index/daily/return")
    static let dailyGapMarket = CounterRandom.stream("market/daily/gap")
    static let dailyGapIndex = CounterRandom.stream("index/daily/gap")
    static let dailyRegime = CounterRandom.stream("market/daily/regime")
    static let intradayMarket = CounterRandom.stream("market/intraday/shock")
    static let intradayIndex = CounterRandom.stream("index/intraday/shock")
    static let intradayVol = CounterRandom.stream("index/intraday/vol")
    static let jumps = CounterRandom.stream("market/intraday/jumps")
    static let spreadNoise = CounterRandom.stream("chain/spread")
    static let trades = CounterRandom.stream("contract/trades")
    static let openInterest = CounterRandom.stream("contract/oi")
    static let depth = CounterRandom.stream("contract/depth")

    /// A stream for (base, index number, day).
    static func keyed(_ base: UInt64, index: Int, day: TradingDate) -> UInt64 {
        CounterRandom.stream(CounterRandom.stream(base, UInt64(index)), UInt64(bitPattern: Int64(day.daysSinceEpoch)))
    }

    /// A stream for (base, day), shared by every index.
    static func keyed(_ base: UInt64, day: TradingDate) -> UInt64 {
        CounterRandom.stream(base, UInt64(bitPattern: Int64(day.daysSinceEpoch)))
    }
}
