#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ChainAnalytics {
    /// The chain's smile as SVI quotes: out-of-the-money contracts only (puts below the forward,
    /// calls at or above it), log-moneyness ln(K/F), weighted by Black-76 vega.
    public var smileQuotes: [SVIFit.Quote] {
        guard let forward else { return [] }
        return contracts.compactMap { item in
            guard let sigma = item.impliedVolatility.volatility, let vega = item.greeks?.vega,
                vega > 0
            else { return nil }
            let outOfTheMoney =
                item.contract.kind == .call
                ? item.contract.strike >= forward : item.contract.strike < forward
            guard outOfTheMoney else { return nil }
            return SVIFit.Quote(
                logMoneyness: log(item.contract.strike / forward), volatility: sigma, weight: vega)
        }
    }

    /// Fits SVI to `smileQuotes` for this expiry.
    public func fitSmile() throws(SVIFit.FitError) -> SVIFit.Result {
        try SVIFit.fit(smileQuotes, years: years)
    }
}
