/// A batch of options as parallel contiguous arrays (struct of arrays), so a whole chain is one call.
///
/// `underlying` is the spot for Black-Scholes-Merton and the forward for Black-76; `years` is T
/// (ACT/365); `rates` and `dividendYields` are continuous annual rates per 1.00. All arrays have
/// the same count (checked by `checkInvariants`).
public struct OptionBatch: Sendable {
    public var kinds: [OptionKind]
    public var underlying: [Double]
    public var strikes: [Double]
    public var years: [Double]
    public var rates: [Double]
    public var dividendYields: [Double]

    public init(
        kinds: [OptionKind] = [], underlying: [Double] = [], strikes: [Double] = [],
        years: [Double] = [],
        rates: [Double] = [], dividendYields: [Double] = []
    ) {
        self.kinds = kinds
        self.underlying = underlying
        self.strikes = strikes
        self.years = years
        self.rates = rates
        self.dividendYields = dividendYields
    }

    /// The number of options.
    public var count: Int { kinds.count }

    /// Appends one option.
    public mutating func append(
        _ kind: OptionKind, underlying: Double, strike: Double, years: Double, rate: Double,
        dividendYield: Double
    ) {
        kinds.append(kind)
        self.underlying.append(underlying)
        strikes.append(strike)
        self.years.append(years)
        rates.append(rate)
        dividendYields.append(dividendYield)
    }

    /// Reserves room for `capacity` options in every column.
    public mutating func reserveCapacity(_ capacity: Int) {
        kinds.reserveCapacity(capacity)
        underlying.reserveCapacity(capacity)
        strikes.reserveCapacity(capacity)
        years.reserveCapacity(capacity)
        rates.reserveCapacity(capacity)
        dividendYields.reserveCapacity(capacity)
    }

    /// Asserts that every column has the same count.
    public func checkInvariants() {
        let counts = [
            underlying.count, strikes.count, years.count, rates.count, dividendYields.count,
        ]
        precondition(
            counts.allSatisfy { $0 == kinds.count },
            "OptionBatch columns differ in length: \(kinds.count) \(counts)")
    }
}

/// Price and Greeks for a batch, one contiguous column per output.
public struct GreeksColumns: Sendable {
    public var price: [Double]
    public var delta: [Double]
    public var gamma: [Double]
    public var vega: [Double]
    public var theta: [Double]
    public var rho: [Double]
    public var vanna: [Double]
    public var volga: [Double]

    /// Columns of `count` zeros.
    public init(count: Int) {
        price = [Double](repeating: 0, count: count)
        delta = price
        gamma = price
        vega = price
        theta = price
        rho = price
        vanna = price
        volga = price
    }

    /// The Greeks of option `index`.
    public subscript(index: Int) -> OptionGreeks {
        OptionGreeks(
            price: price[index], delta: delta[index], gamma: gamma[index], vega: vega[index],
            theta: theta[index], rho: rho[index], vanna: vanna[index], volga: volga[index])
    }
}
