/// Everything the platform derives from one expiry's chain snapshot: IV and Greeks per contract
/// (Black-76 on the resolved forward), PCRs, max pain, support/resistance, build-up and sentiment.
///
/// Time to expiry is ACT/365 to 15:30 IST on the expiry date; the forward comes from the configured
/// `ForwardSource`. A contract whose price is outside the no-arbitrage bounds keeps its typed IV
/// status and gets no Greeks; nothing here produces NaN.
public struct ChainAnalytics: Sendable {
    /// Rate, forward source and sentiment thresholds.
    public struct Configuration: Sendable, Hashable {
        /// Continuous annual risk-free rate per 1.00 (for example the 91-day T-bill yield).
        public var rate: Double
        public var forwardSource: ForwardSource
        public var thresholds = MarketSentiment.Thresholds()

        public init(rate: Double, forwardSource: ForwardSource = .putCallParity) {
            self.rate = rate
            self.forwardSource = forwardSource
        }
    }

    /// One contract's analytics.
    public struct Contract: Sendable {
        public var contract: ChainContract
        public var impliedVolatility: ImpliedVolatilityResult
        /// Black-76 Greeks at the implied volatility; nil when there is none.
        public var greeks: OptionGreeks?
        public var buildUp: OpenInterestBuildUp
    }

    public var expiry: CivilDate
    public var years: Double
    /// The forward used, or nil when the source lacked data (then no IV is computed).
    public var forward: Double?
    /// The listed strike nearest spot (ties round up).
    public var atmStrike: Double?
    public var contracts: [Contract]
    public var putCallRatio: PutCallRatio
    public var maxPain: MaxPain?
    public var supportResistance: SupportResistance
    public var sentiment: MarketSentiment

    /// Analyses `chain` (contracts of one expiry; others are ignored) at `now` with spot `spot`.
    public init(
        _ chain: [ChainContract], expiry: CivilDate, spot: Double, now: Instant,
        configuration: Configuration
    ) {
        let contracts = chain.filter { $0.expiry == expiry }.sorted {
            $0.strike != $1.strike ? $0.strike < $1.strike : ($0.kind == .call && $1.kind == .put)
        }
        self.expiry = expiry
        years = TimeToExpiry.years(from: now, toExpiryOn: expiry)
        let rate = configuration.rate
        forward = configuration.forwardSource.forward(
            years: years, rate: rate, pairs: Self.pairs(contracts))
        atmStrike = StrikeSelection.nearest(to: spot, in: contracts.map(\.strike))
        var batch = OptionBatch()
        batch.reserveCapacity(contracts.count)
        let forward = forward ?? 0
        for contract in contracts {
            batch.append(
                contract.kind, underlying: forward, strike: contract.strike, years: years,
                rate: rate, dividendYield: 0)
        }
        var results: [ImpliedVolatilityResult] = []
        BatchPricing.impliedVolatilities(
            .black76, batch, prices: contracts.map(\.lastPrice), into: &results)
        let years = years
        self.contracts = zip(contracts, results).map { contract, result in
            let greeks = result.volatility.map {
                Black76.greeks(
                    contract.kind, forward: forward, strike: contract.strike, years: years,
                    rate: rate, volatility: $0)
            }
            return Contract(
                contract: contract, impliedVolatility: result, greeks: greeks,
                buildUp: OpenInterestBuildUp(contract))
        }
        putCallRatio = PutCallRatio(contracts)
        maxPain = MaxPain(contracts, spot: spot)
        supportResistance = SupportResistance(contracts, spot: spot)
        sentiment = MarketSentiment(
            contracts, spot: spot, totals: putCallRatio, maxPain: maxPain,
            levels: supportResistance,
            thresholds: configuration.thresholds)
    }

    /// (strike, call price, put price) for strikes quoted on both sides, in strike order.
    static func pairs(_ sorted: [ChainContract]) -> [(strike: Double, call: Double, put: Double)] {
        var pairs: [(strike: Double, call: Double, put: Double)] = []
        var index = 0
        while index + 1 < sorted.count {
            let a = sorted[index]
            let b = sorted[index + 1]
            if a.strike == b.strike && a.kind == .call && b.kind == .put {
                pairs.append((a.strike, a.lastPrice, b.lastPrice))
                index += 2
            } else {
                index += 1
            }
        }
        return pairs
    }
}
