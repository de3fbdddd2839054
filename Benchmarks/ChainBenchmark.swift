import Foundation
import Platform

/// Times a whole 82-contract expiry (IV + Greeks + PCR + max pain + levels + sentiment) per snapshot,
/// against the same work with bisection IV and the naive closed form as the baseline.
enum ChainBenchmark {
    static func figures() -> [(String, String)] {
        let expiry = CivilDate(year: 2026, month: 12, day: 1)!
        let now = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 26)!, hour: 10, minute: 0)
        let years = TimeToExpiry.years(from: now, toExpiryOn: expiry)
        let forward = 24_050.0
        var random = SplitMix64(seed: 82)
        var chain: [ChainContract] = []
        for index in -20...20 {
            let strike = 24_000 + 50 * Double(index)
            let m = log(strike / forward)
            for kind in OptionKind.allCases {
                let price = Black76.price(
                    kind, forward: forward, strike: strike, years: years, rate: 0.065,
                    volatility: 0.13 - 0.25 * m + 1.5 * m * m)
                chain.append(
                    ChainContract(
                        expiry: expiry, strike: strike, kind: kind, lastPrice: price,
                        priceChange: Double(random.next(below: 201)) / 10 - 10,
                        openInterest: Double(random.next(below: 100_000) * 75),
                        openInterestChange: Double(random.next(below: 20_001)) * 75 - 750_000,
                        volume: Double(random.next(below: 1_000_000))))
            }
        }
        let configuration = ChainAnalytics.Configuration(rate: 0.065, forwardSource: .putCallParity)
        var sink = 0.0
        let chainNs = AnalyticsBenchmark.nanosecondsPerOption(count: 1) {
            let analytics = ChainAnalytics(
                chain, expiry: expiry, spot: 24_010, now: now, configuration: configuration)
            sink += analytics.maxPain?.strike ?? 0
        }
        let baselineNs = AnalyticsBenchmark.nanosecondsPerOption(count: 1, repetitions: 3) {
            for contract in chain {
                let sigma = NaiveBaseline.bisectionIV(
                    contract.kind, contract.lastPrice * exp(0.065 * years), forward,
                    contract.strike, years, 0, 0)
                sink += NaiveBaseline.greeks(
                    contract.kind == .call, forward, contract.strike, years, 0.065, 0.065, sigma)
            }
            sink += PutCallRatio(chain).byOpenInterest ?? 0
            sink += MaxPain(chain, spot: 24_010)?.strike ?? 0
        }
        return [
            ("chain_contracts", "\(chain.count)"),
            ("chain_us_per_snapshot", AnalyticsBenchmark.fmt(chainNs / 1000)),
            ("chain_baseline_us_per_snapshot", AnalyticsBenchmark.fmt(baselineNs / 1000)),
            ("chain_speedup_over_baseline", AnalyticsBenchmark.fmt(baselineNs / chainNs)),
            ("chain_checksum", AnalyticsBenchmark.fmt(sink.truncatingRemainder(dividingBy: 7))),
        ]
    }
}
