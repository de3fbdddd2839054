/// One option contract in a chain snapshot: what a broker's quote gives for it.
///
/// Open interest and volume may be in contracts or in units (Kite reports units) as long as one
/// chain uses one unit: every ratio and the max-pain strike are unchanged by a common lot size.
/// `priceChange` and `openInterestChange` are against the previous session's close.
public struct ChainContract: Sendable, Hashable {
    public var expiry: CivilDate
    public var strike: Double
    public var kind: OptionKind
    /// Last traded price (or mid), in currency units.
    public var lastPrice: Double
    /// Last price minus the previous close.
    public var priceChange: Double
    public var openInterest: Double
    /// Open interest minus the previous close's open interest.
    public var openInterestChange: Double
    public var volume: Double

    public init(
        expiry: CivilDate, strike: Double, kind: OptionKind, lastPrice: Double,
        priceChange: Double = 0,
        openInterest: Double, openInterestChange: Double = 0, volume: Double = 0
    ) {
        self.expiry = expiry
        self.strike = strike
        self.kind = kind
        self.lastPrice = lastPrice
        self.priceChange = priceChange
        self.openInterest = openInterest
        self.openInterestChange = openInterestChange
        self.volume = volume
    }
}
