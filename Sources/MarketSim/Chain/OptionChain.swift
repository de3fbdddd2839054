/// A full option chain of one index at one instant, every price in integer ticks or paise.
public struct OptionChain: Sendable, Equatable {
    public var index: String
    /// The instant the chain describes (clamped into the session).
    public var time: MarketTime
    public var secondOfSession: Int
    /// Index level in paise (0.01).
    public var underlyingPaise: Int64
    public var expiries: [ChainExpiry]
}

/// One expiry of a chain: forward, time to expiry and the rows by (strike, CE before PE).
public struct ChainExpiry: Sendable, Equatable {
    public var listing: ExpiryListing
    /// The futures price for this expiry (the forward on the 0.05 tick), in paise.
    public var futurePaise: Int64
    /// Unrounded forward, discount factor and years to expiry: ground truth for checks.
    public var forward: Double
    public var discount: Double
    public var tau: Double
    /// ATM total variance and the SSVI parameters in force.
    public var theta: Double
    public var rho: Double
    public var eta: Double
    public var rows: [ChainRow]
}

/// One contract's line in a chain.
public struct ChainRow: Sendable, Equatable {
    public var contract: Contract
    /// Best bid and ask in ticks of 0.05 (bid 0 means no bid).
    public var bidTicks: Int64
    public var askTicks: Int64
    /// Last traded price in ticks (the 09:15 model price on the tick before the day's first trade).
    public var lastPriceTicks: Int64
    public var lastQuantity: Int64
    /// Second of session of the last trade, nil before the first trade.
    public var lastTradeSecond: Int?
    public var averagePriceTicks: Int64
    /// Cumulative volume today and open interest, in units (multiples of the lot).
    public var volume: Int64
    public var openInterest: Int64
    public var openInterestHigh: Int64
    public var openInterestLow: Int64
    /// The generator's model price (rupees) and true implied volatility: ground truth, not quotes.
    public var modelPrice: Double
    public var trueIV: Double
}

extension Int64 {
    /// Ticks of 0.05 as rupees text with two decimals (e.g. 2405 → "120.25").
    public var ticksAsRupees: String { (self * QuoteRule.tickPaise).paiseAsRupees }

    /// Paise as rupees text with two decimals (e.g. 2402505 → "24025.05").
    public var paiseAsRupees: String {
        let sign = self < 0 ? "-" : ""
        let value = self.magnitude
        return sign + String(value / 100) + "." + TradingDate.pad(Int(value % 100), 2)
    }
}
