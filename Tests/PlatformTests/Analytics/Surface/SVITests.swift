import Foundation
import Testing

@testable import Platform

@Suite struct SVITests {
    static let truth = SVIParameters(a: 0.0008, b: 0.012, rho: -0.45, m: 0.01, sigma: 0.08)

    @Test("a fit to quotes generated from a known SVI smile recovers it, arbitrage-free")
    func recoversKnownSmile() throws {
        let years = 0.05
        let quotes = stride(from: -0.25, through: 0.2, by: 0.01).map { k in
            SVIFit.Quote(
                logMoneyness: k, volatility: (Self.truth.totalVariance(k) / years).squareRoot(),
                weight: 1)
        }
        let result = try SVIFit.fit(quotes, years: years)
        #expect(result.volatilityRMSE < 1e-5)
        #expect(result.isAdmissible)
        #expect(result.butterflyViolations.isEmpty)
        for k in [-0.2, -0.05, 0, 0.1] {
            #expect(
                abs(result.volatility(at: k) - (Self.truth.totalVariance(k) / years).squareRoot())
                    < 1e-4)
        }
    }

    @Test("the fit is deterministic and rejects too few or invalid quotes")
    func deterministicAndErrors() throws {
        let quotes = stride(from: -0.2, through: 0.2, by: 0.05).map {
            SVIFit.Quote(logMoneyness: $0, volatility: 0.15 + 0.3 * $0 * $0 - 0.1 * $0)
        }
        #expect(try SVIFit.fit(quotes, years: 0.1) == SVIFit.fit(quotes, years: 0.1))
        #expect(throws: SVIFit.FitError.tooFewQuotes(found: 3)) {
            try SVIFit.fit(Array(quotes.prefix(3)), years: 0.1)
        }
        var bad = quotes
        bad[2].volatility = .nan
        #expect(throws: SVIFit.FitError.invalidQuote(index: 2)) { try SVIFit.fit(bad, years: 0.1) }
    }

    @Test("Gatheral's density flags a smile with butterfly arbitrage")
    func butterflyCheck() {
        let steep = SVIParameters(a: -0.02, b: 0.9, rho: -0.99, m: 0, sigma: 0.02)
        #expect(!steep.butterflyViolations().isEmpty)
        #expect(Self.truth.butterflyViolations().isEmpty)
    }

    @Test("the surface interpolates total variance linearly in time and reports calendar arbitrage")
    func surface() throws {
        let near = VolatilitySurface.Slice(
            expiry: CivilDate(year: 2026, month: 12, day: 1)!, years: 0.02, smile: Self.truth)
        var farSmile = Self.truth
        farSmile.a *= 5
        farSmile.b *= 3
        let far = VolatilitySurface.Slice(
            expiry: CivilDate(year: 2026, month: 12, day: 29)!, years: 0.1, smile: farSmile)
        let surface = VolatilitySurface([far, near])
        #expect(surface.slices.map(\.years) == [0.02, 0.1])
        let middle = try #require(surface.totalVariance(k: 0.05, years: 0.06))
        #expect(
            abs(middle - 0.5 * (Self.truth.totalVariance(0.05) + farSmile.totalVariance(0.05)))
                < 1e-15)
        let early = try #require(surface.totalVariance(k: 0, years: 0.01))
        #expect(abs(early - Self.truth.totalVariance(0) / 2) < 1e-15)
        #expect(surface.calendarViolations().isEmpty)
        #expect(
            !VolatilitySurface([
                VolatilitySurface.Slice(expiry: far.expiry, years: 0.1, smile: Self.truth),
                VolatilitySurface.Slice(expiry: near.expiry, years: 0.02, smile: farSmile),
            ]).calendarViolations().isEmpty)
        #expect(surface.termStructure.count == 2)
    }

    @Test("smile metrics: ATM vol, 25-delta strikes at their deltas, negative RR for a put skew")
    func metrics() {
        let years = 0.05
        let metrics = SmileMetrics(smile: Self.truth, years: years)
        #expect(
            abs(metrics.atmVolatility - (Self.truth.totalVariance(0) / years).squareRoot()) < 1e-15)
        #expect(metrics.riskReversal25 < 0)
        #expect(metrics.butterfly25 > 0)
        #expect(metrics.skewSlope < 0)
        let root = Self.truth.totalVariance(metrics.call25LogMoneyness).squareRoot()
        #expect(
            abs(NormalDistribution.cdf(-metrics.call25LogMoneyness / root + 0.5 * root) - 0.25)
                < 1e-9)
    }
}
