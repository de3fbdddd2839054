import Foundation
import Testing

@testable import Platform

@Suite struct ChainAnalyticsTests {
    static func contract(
        _ strike: Double, _ kind: OptionKind, oi: Double, volume: Double = 0, change: Double = 0,
        price: Double = 1, priceChange: Double = 0
    ) -> ChainContract {
        ChainContract(
            expiry: ChainFixtures.expiry, strike: strike, kind: kind, lastPrice: price,
            priceChange: priceChange,
            openInterest: oi, openInterestChange: change, volume: volume)
    }

    @Test("PCR by OI, volume and change in OI; nil where calls sum to zero")
    func putCallRatio() {
        let contracts = [
            Self.contract(100, .call, oi: 200, volume: 10, change: 50),
            Self.contract(100, .put, oi: 300, volume: 30, change: -25),
            Self.contract(110, .call, oi: 100, volume: 10, change: 50),
            Self.contract(110, .put, oi: 150, volume: 0, change: 0),
        ]
        let ratio = PutCallRatio(contracts)
        #expect(ratio.byOpenInterest == 1.5)
        #expect(ratio.byVolume == 1.5)
        #expect(ratio.byOpenInterestChange == -0.25)
        #expect(PutCallRatio([Self.contract(100, .put, oi: 5)]).byOpenInterest == nil)
        let perStrike = PutCallRatio.perStrike(contracts.reversed(), expiry: ChainFixtures.expiry)
        #expect(perStrike.map(\.strike) == [100, 110])
        #expect(perStrike.map { $0.ratio.byOpenInterest } == [1.5, 1.5])
        let other = CivilDate(year: 2026, month: 12, day: 29)!
        var later = Self.contract(100, .call, oi: 10)
        later.expiry = other
        #expect(
            PutCallRatio.perExpiry(contracts + [later]).map(\.expiry) == [
                ChainFixtures.expiry, other,
            ])
    }

    @Test(
        "max pain matches a brute-force evaluation at every listed strike",
        arguments: [1, 2, 3, 4, 5] as [UInt64])
    func maxPainBruteForce(seed: UInt64) throws {
        let chain = ChainFixtures.chain(seed: seed)
        let result = try #require(MaxPain(chain, spot: 24_010))
        let strikes = Array(Set(chain.map(\.strike))).sorted()
        for (strike, pain) in result.painByStrike {
            let brute = chain.reduce(0.0) { total, c in
                total + c.openInterest
                    * (c.kind == .call ? max(0, strike - c.strike) : max(0, c.strike - strike))
            }
            #expect(abs(pain - brute) <= 1e-9 * max(brute, 1), "seed \(seed) strike \(strike)")
        }
        #expect(result.painByStrike.map(\.strike) == strikes)
        #expect(result.pain == result.painByStrike.map(\.pain).min())
    }

    @Test("max pain ties go to the strike nearer spot, then the lower strike")
    func maxPainTies() throws {
        // Symmetric OI: pain is equal at 100 and 110.
        let contracts = [
            Self.contract(100, .put, oi: 1), Self.contract(110, .call, oi: 1),
            Self.contract(100, .call, oi: 1), Self.contract(110, .put, oi: 1),
        ]
        #expect(try #require(MaxPain(contracts, spot: 108)).strike == 110)
        #expect(try #require(MaxPain(contracts, spot: 105)).strike == 100)
        #expect(MaxPain([], spot: 100) == nil)
    }

    @Test(
        "build-up follows price change × OI change",
        arguments: [
            (1.0, 1.0, OpenInterestBuildUp.longBuildUp), (-1, 1, .shortBuildUp),
            (1, -1, .shortCovering),
            (-1, -1, .longUnwinding), (0, 1, .neutral), (1, 0, .neutral),
        ])
    func buildUp(price: Double, oi: Double, expected: OpenInterestBuildUp) {
        #expect(OpenInterestBuildUp(priceChange: price, openInterestChange: oi) == expected)
    }

    @Test(
        "ATM is the strike nearest spot, ties rounding up; K0 is the strike just below the forward")
    func strikeSelection() {
        #expect(StrikeSelection.nearest(to: 24_025, in: [23_950, 24_000, 24_050]) == 24_050)
        #expect(StrikeSelection.nearest(to: 24_020, in: [24_050, 24_000, 23_950]) == 24_000)
        #expect(StrikeSelection.justBelow(24_049.9, in: [23_950, 24_000, 24_050]) == 24_000)
        #expect(StrikeSelection.nearest(to: 1, in: []) == nil)
    }

    @Test(
        "support is the heaviest put OI at or below spot, resistance the heaviest call OI at or above"
    )
    func supportResistance() {
        let contracts = [
            Self.contract(23_900, .put, oi: 500), Self.contract(23_950, .put, oi: 900),
            Self.contract(24_100, .put, oi: 5000),
            Self.contract(24_050, .call, oi: 700), Self.contract(24_200, .call, oi: 1200),
            Self.contract(23_900, .call, oi: 9000),
        ]
        let levels = SupportResistance(contracts, spot: 24_010)
        #expect(levels.supports.map(\.strike) == [23_950, 23_900])
        #expect(levels.resistances.map(\.strike) == [24_200, 24_050])
        #expect(abs(levels.supports[0].share - 900 / 6400.0) < 1e-15)
    }

    @Test("sentiment names its drivers and follows heavy put writing to bullish")
    func sentiment() {
        let bullish = [
            Self.contract(23_900, .put, oi: 9000, change: 5000, price: 10, priceChange: -3),
            Self.contract(24_000, .put, oi: 8000, change: 4000, price: 20, priceChange: -4),
            Self.contract(24_100, .call, oi: 3000, change: 100, price: 15, priceChange: 1),
            Self.contract(24_200, .call, oi: 2000, change: 100, price: 5, priceChange: 1),
        ]
        let reading = MarketSentiment(bullish, spot: 23_950)
        #expect(reading.score > 0.15)
        #expect(reading.reading == .bullish || reading.reading == .mildlyBullish)
        #expect(reading.drivers.map(\.name).contains("pcr_oi"))
        #expect(reading.summary.contains("PCR(OI) 3.40"))
        let scores = reading.drivers.map { abs($0.score) }
        #expect(scores == scores.sorted(by: >))
    }

    @Test("a whole chain: parity forward, every IV recovered to 1e-10, Greeks present, no NaN")
    func wholeChain() throws {
        let chain = ChainFixtures.chain()
        let analytics = ChainAnalytics(
            chain, expiry: ChainFixtures.expiry, spot: 24_010, now: ChainFixtures.now,
            configuration: .init(rate: ChainFixtures.rate, forwardSource: .putCallParity))
        let forward = try #require(analytics.forward)
        #expect(abs(forward - ChainFixtures.forward) <= 1e-9 * forward)
        #expect(analytics.contracts.count == 82)
        #expect(analytics.atmStrike == 24_000)
        for item in analytics.contracts {
            let sigma = try #require(item.impliedVolatility.volatility, "\(item.contract)")
            #expect(
                abs(sigma - ChainFixtures.smile(item.contract.strike)) <= 1e-10 * sigma + 5e-9,
                "\(item.contract.strike) \(item.contract.kind)")
            let greeks = try #require(item.greeks)
            #expect(
                [greeks.price, greeks.delta, greeks.gamma, greeks.vega, greeks.theta].allSatisfy {
                    $0.isFinite
                })
        }
        #expect(analytics.maxPain != nil)
        #expect(!analytics.sentiment.drivers.isEmpty)
    }
}

extension ChainAnalyticsTests {
    @Test(
        "the chain's out-of-the-money smile fits SVI closely, arbitrage-free, with the right ATM vol"
    )
    func smileFit() throws {
        let analytics = ChainAnalytics(
            ChainFixtures.chain(), expiry: ChainFixtures.expiry, spot: 24_010,
            now: ChainFixtures.now,
            configuration: .init(rate: ChainFixtures.rate))
        #expect(analytics.smileQuotes.count == 41)
        let fit = try analytics.fitSmile()
        #expect(fit.volatilityRMSE < 2e-3)
        #expect(fit.butterflyViolations.isEmpty)
        let metrics = SmileMetrics(smile: fit.parameters, years: fit.years)
        #expect(abs(metrics.atmVolatility - ChainFixtures.smile(ChainFixtures.forward)) < 2e-3)
        #expect(metrics.riskReversal25 < 0)
    }
}
