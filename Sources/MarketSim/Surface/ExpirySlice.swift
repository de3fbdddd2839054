/// The state needed to price every strike of one expiry at one second: forward, discount, surface.
///
/// Built from the index path at that second (level, variance state, move since the open) in the
/// fixed order underlying → surface; quotes are then a function of the slice and the strike alone.
public struct ExpirySlice: Sendable {
    /// Index level and forward (Double inside the kernel only).
    public let spot: Double
    public let forward: Double
    /// Discount factor e^{−rτ} and years to the 15:30 IST expiry close (ACT/365).
    public let discount: Double
    public let tau: Double
    /// ATM total variance θ(τ) and the instant's SSVI smile.
    public let theta: Double
    public let surface: SSVI
    public let term: TermStructure
    /// Spread multiplier for this expiry and second.
    public let spreadMultiplier: Double
    public let isExpiryDay: Bool
    public let logForward: Double
    /// The smile's φ(θ) at this slice's θ, computed once for every strike priced on it.
    @usableFromInline let phi: Double

    /// Calendar seconds per year in τ.
    public static let secondsPerYear = 365.0 * 86_400

    init(market: Market, index: IndexSpec, path: IntradayPath, expiry: TradingDate, second s: Int) {
        let spec = market.spec
        let level = path.level[s]
        let nowSeconds = Int64(market.date.daysSinceEpoch) * 86_400 + Int64(spec.calendar.openSecond + s)
        let expirySeconds = Int64(expiry.daysSinceEpoch) * 86_400 + Int64(spec.calendar.closeSecond)
        let tau = Double(max(0, expirySeconds - nowSeconds)) / ExpirySlice.secondsPerYear
        let r = spec.riskFreeRate
        spot = level
        self.tau = tau
        discount = KernelMath.exp(-r * tau)
        let carry = (r - index.dividendYield) * tau
        forward = level * KernelMath.exp(carry)
        logForward = path.logLevel[s] + carry
        let m = index.model
        term = TermStructure(
            spotVariance: m.variancePremium * path.variance[s],
            longRunVariance: m.variancePremium * m.vol * m.vol)
        theta = term.theta(tau: tau)
        surface = ExpirySlice.smile(model: m, moveSinceOpen: path.logLevel[s] - path.logOpen)
        phi = surface.phi(theta: theta)
        isExpiryDay = expiry == market.date
        let noise = market.random.uniform(
            stream: CounterRandom.stream(RandomStreams.keyed(RandomStreams.spreadNoise, index: index.number, day: market.date),
                                         UInt64(expiry.daysSinceEpoch)),
            index: UInt64(s))
        spreadMultiplier = QuoteRule.spreadMultiplier(
            secondOfSession: s, sessionSeconds: spec.calendar.sessionSeconds, isExpiryDay: isExpiryDay, noise: noise)
    }

    /// The instant's smile: skew steepens when the index falls (ρ = ρ₀ + 3·move, within ±0.15),
    /// and η is capped at 2/(1 + |ρ|) so the surface stays butterfly-free.
    static func smile(model: IndexModel, moveSinceOpen: Double) -> SSVI {
        let rho = min(max(model.skewRho + 3 * moveSinceOpen, model.skewRho - 0.15), model.skewRho + 0.15)
        let clamped = min(max(rho, -0.95), 0.95)
        let eta = min(model.smileEta, SSVI.etaMax(rho: clamped))
        return SSVI(rho: clamped, eta: eta)!
    }

    /// Total implied variance at strike `strike` (rupees).
    @inlinable
    public func totalVariance(strike: Double) -> Double {
        surface.totalVariance(k: KernelMath.log(strike) - logForward, theta: theta)
    }

    /// Model call and put (rupees), the true implied volatility, and moneyness in standard deviations.
    public func price(strikePaise: Int64) -> (call: Double, put: Double, iv: Double, moneynessSD: Double) {
        let strike = Double(strikePaise) / 100
        return price(strike: strike, logStrike: KernelMath.log(strike))
    }

    /// `price(strikePaise:)` for a caller holding the strike in rupees and `KernelMath.log` of it.
    @inlinable
    public func price(strike: Double, logStrike: Double) -> (call: Double, put: Double, iv: Double, moneynessSD: Double) {
        let (call, put, sd, w) = prices(strike: strike, logStrike: logStrike)
        let iv = tau > 0 ? (w / tau).squareRoot() : term.spotVariance.squareRoot()
        return (call, put, iv, sd)
    }

    /// `price(strike:logStrike:)` without the implied volatility (which quoting does not use),
    /// and the total variance; the smile's φ(θ) is the slice's, not recomputed per strike.
    @inlinable @inline(__always)
    func prices(strike: Double, logStrike: Double) -> (call: Double, put: Double, moneynessSD: Double, w: Double) {
        let k = logStrike - logForward
        let w = surface.totalVariance(k: k, theta: theta, phi: phi)
        let (call, put) = Black76.prices(forward: forward, strike: strike, logMoneyness: k, totalVariance: w,
                                         discount: discount)
        let sd = w > 0 ? k / w.squareRoot() : (k == 0 ? 0 : (k > 0 ? 99 : -99))
        return (call, put, sd, w)
    }

    /// Log-moneyness over the smile's standard deviation, k/√w (±99 at expiry away from the money).
    public func moneynessSD(strikePaise: Int64) -> Double {
        moneynessSD(logStrike: KernelMath.log(Double(strikePaise) / 100))
    }

    /// `moneynessSD(strikePaise:)` for a caller holding `KernelMath.log` of the strike in rupees.
    func moneynessSD(logStrike: Double) -> Double {
        let k = logStrike - logForward
        let w = surface.totalVariance(k: k, theta: theta)
        return w > 0 ? k / w.squareRoot() : (k == 0 ? 0 : (k > 0 ? 99 : -99))
    }

    /// Call and put quotes (bid, ask) in ticks at a strike, from one Black-76 evaluation.
    @inlinable
    public func quotes(strike: Double, logStrike: Double)
        -> (call: (bid: Int64, ask: Int64), put: (bid: Int64, ask: Int64))
    {
        let priced = prices(strike: strike, logStrike: logStrike)
        let callHalf = QuoteRule.halfSpreadTicks(
            priceTicks: priced.call / QuoteRule.tick, moneynessSD: priced.moneynessSD, multiplier: spreadMultiplier)
        let putHalf = QuoteRule.halfSpreadTicks(
            priceTicks: priced.put / QuoteRule.tick, moneynessSD: priced.moneynessSD, multiplier: spreadMultiplier)
        return (QuoteRule.quote(price: priced.call, halfSpreadTicks: callHalf),
                QuoteRule.quote(price: priced.put, halfSpreadTicks: putHalf))
    }

    /// The forward rounded to the tick, in paise: the simulated futures price for this expiry.
    public var futurePaise: Int64 {
        Int64((forward * 20).rounded(.toNearestOrAwayFromZero)) * QuoteRule.tickPaise
    }
}

extension Market {
    /// The pricing slice of `expiry` for index `name` at second `s` of the session.
    public func slice(index name: String, expiry: TradingDate, second s: Int) throws(MarketError) -> ExpirySlice {
        let index = try index(named: name)
        precondition((0...sessionSeconds).contains(s), "second \(s) outside the session 0…\(sessionSeconds)")
        return ExpirySlice(market: self, index: index, path: paths[index.number]!, expiry: expiry, second: s)
    }

    func slice(_ index: IndexSpec, expiry: TradingDate, second s: Int) -> ExpirySlice {
        ExpirySlice(market: self, index: index, path: paths[index.number]!, expiry: expiry, second: s)
    }
}
