import Foundation

@testable import Platform

/// Loads the mpmath golden CSVs under `fixtures/golden/` (40-digit references, correctly rounded).
enum GoldenFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/golden")
    }

    /// One row of `bs_public.csv`.
    struct PricingRow {
        var line: Int
        var kind: OptionKind
        var spot, strike, years, rate, dividendYield, volatility: Double
        var price, delta, gamma, vega, theta, rho: Double
    }

    /// One row of `iv_public.csv`.
    struct ImpliedRow {
        var line: Int
        var kind: OptionKind
        var spot, strike, years, rate, dividendYield, price, volatility: Double
    }

    static func rows(_ name: String) throws -> [(line: Int, fields: [Substring])] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").enumerated().dropFirst().map {
            ($0.offset + 1, $0.element.split(separator: ","))
        }
    }

    static func pricing() throws -> [PricingRow] {
        try rows("bs_public.csv").map { line, f in
            let v = f.dropFirst().map { Double($0)! }
            return PricingRow(
                line: line, kind: OptionKind(code: f[0])!, spot: v[0], strike: v[1], years: v[2],
                rate: v[3],
                dividendYield: v[4], volatility: v[5], price: v[6], delta: v[7], gamma: v[8],
                vega: v[9],
                theta: v[10], rho: v[11])
        }
    }

    static func implied() throws -> [ImpliedRow] {
        try rows("iv_public.csv").map { line, f in
            let v = f.dropFirst().map { Double($0)! }
            return ImpliedRow(
                line: line, kind: OptionKind(code: f[0])!, spot: v[0], strike: v[1], years: v[2],
                rate: v[3],
                dividendYield: v[4], price: v[5], volatility: v[6])
        }
    }
}
