import Foundation

@testable import Platform

/// A synthetic NIFTY-like expiry: 41 strikes 50 apart around 24,000, Black-76 prices on a smile.
enum ChainFixtures {
    static let expiry = CivilDate(year: 2026, month: 12, day: 1)!
    static let now = ISO8601.instant(
        CivilDate(year: 2026, month: 11, day: 26)!, hour: 10, minute: 0)
    static let forward = 24_050.0
    static let rate = 0.065

    static func smile(_ strike: Double) -> Double {
        let m = log(strike / forward)
        return 0.13 - 0.25 * m + 1.5 * m * m
    }

    static func chain(seed: UInt64 = 1) -> [ChainContract] {
        var random = SplitMix64.keyed(seed, label: "chain")
        let years = TimeToExpiry.years(from: now, toExpiryOn: expiry)
        var contracts: [ChainContract] = []
        for index in -20...20 {
            let strike = 24_000 + 50 * Double(index)
            for kind in OptionKind.allCases {
                let price = Black76.price(
                    kind, forward: forward, strike: strike, years: years, rate: rate,
                    volatility: smile(strike))
                let oi = Double(1 + random.next(below: 100_000)) * 75
                let change = (Double(random.next(below: 20_001)) - 10_000) * 75
                let priceChange = Double(random.next(below: 2001)) / 100 - 10
                contracts.append(
                    ChainContract(
                        expiry: expiry, strike: strike, kind: kind, lastPrice: price,
                        priceChange: priceChange,
                        openInterest: oi, openInterestChange: change,
                        volume: Double(random.next(below: 1_000_000))))
            }
        }
        return contracts
    }
}
