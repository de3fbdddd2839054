/// One index's path through one session at one-second resolution, bridged onto the daily skeleton.
///
/// Per second: log-return = σ(s)·√dt·z − ½σ(s)²dt plus jumps, with σ(s) = σ_day · U(s) · e^{h(s)−σ_h²}.
/// z loads on the market factor with the index's beta (indices move together); h is an
/// Ornstein–Uhlenbeck log-volatility with a 30-minute half-life whose shocks correlate negatively
/// with returns (clustering and leverage). Jump times and sizes come from one market-wide draw,
/// so jumps hit all indices at once. The simulated walk W is then bridged in cumulative-variance
/// time so that it starts at the skeleton's open and ends at its close. Scheduled `MarketShock`s
/// (a scenario's `market.events`) scale the volatility in their windows and add their jumps after
/// the bridge.
public struct IntradayPath: Sendable {
    /// Index number and date.
    public let index: Int
    public let date: TradingDate
    /// Index level at each second of the session, 0…sessionSeconds (open … close inclusive).
    public let level: [Double]
    /// The session's high and low so far at each second (`level[0…s]`'s extremes), for index quotes.
    public let highSoFar: [Double]
    public let lowSoFar: [Double]
    /// Natural log of `level` (computed with the level, not by a logarithm), and of the open.
    public let logLevel: [Double]
    public let logOpen: Double
    /// Instantaneous annualised variance state (without the seasonal U), per second.
    public let variance: [Double]
    public let open: Double
    public let previousClose: Double
    /// The day's long-run-adjusted volatility from the skeleton.
    public let dayVol: Double

    static let logVolHalfLifeSeconds = 1_800.0
    static let leverage = -0.6

    /// Simulates `spec`'s session on `day`; `shocks` are those that hit this index on this day.
    public init(seed: UInt64, spec: IndexSpec, day: DailySkeleton.Day, sessionSeconds: Int, shocks: [MarketShock] = []) {
        let random = CounterRandom(seed: seed)
        let n = sessionSeconds
        let m = spec.model
        let dt = 1 / (DailySkeleton.tradingDaysPerYear * Double(n))
        let sqrtDt = dt.squareRoot()
        let a = PortableMath.exp(-PortableMath.log(2) / IntradayPath.logVolHalfLifeSeconds)
        let sigmaH = 0.55 * m.volOfVol
        let hNoise = sigmaH * (1 - a * a).squareRoot()
        let idiosyncratic = (1 - m.beta * m.beta).squareRoot()
        let leverageOrthogonal = (1 - IntradayPath.leverage * IntradayPath.leverage).squareRoot()
        let marketStream = RandomStreams.keyed(RandomStreams.intradayMarket, day: day.date)
        let indexStream = RandomStreams.keyed(RandomStreams.intradayIndex, index: spec.number, day: day.date)
        let volStream = RandomStreams.keyed(RandomStreams.intradayVol, index: spec.number, day: day.date)

        let jumps = IntradayPath.jumps(random: random, model: m, date: day.date, sessionSeconds: n)
        var walk = [Double](repeating: 0, count: n + 1)
        var cumulativeVariance = [Double](repeating: 0, count: n + 1)
        var variance = [Double](repeating: 0, count: n + 1)
        var h = sigmaH * random.normal(stream: volStream, index: UInt64(n + 1))
        var w = 0.0
        var c = 0.0
        var nextJump = 0
        var volFactor = KernelMath.exp(h - sigmaH * sigmaH)
        let shockVol = IntradayPath.volatilityMultipliers(shocks, sessionSeconds: n)
        variance[0] = day.vol * day.vol * volFactor * volFactor * (shockVol.map { $0[0] * $0[0] } ?? 1)
        let seasonal = IntradaySeasonality.volatilityProfile(sessionSeconds: n)
        for s in 0..<n {
            let z = m.beta * random.normal(stream: marketStream, index: UInt64(s))
                + idiosyncratic * random.normal(stream: indexStream, index: UInt64(s))
            var sigma = day.vol * volFactor * seasonal[s]
            if let shockVol { sigma *= shockVol[s] }
            w += sigma * sqrtDt * z - 0.5 * sigma * sigma * dt
            c += sigma * sigma * dt
            while nextJump < jumps.count, jumps[nextJump].second == s {
                w += jumps[nextJump].size
                nextJump += 1
            }
            let e = IntradayPath.leverage * z + leverageOrthogonal * random.normal(stream: volStream, index: UInt64(s))
            h = a * h + hNoise * e
            walk[s + 1] = w
            cumulativeVariance[s + 1] = c
            volFactor = KernelMath.exp(h - sigmaH * sigmaH)
            variance[s + 1] = day.vol * day.vol * volFactor * volFactor
            if let shockVol { variance[s + 1] *= shockVol[s + 1] * shockVol[s + 1] }
        }
        // Bridge: X(s) = W(s) + (c(s)/c(n))·(R − W(n)) hits the skeleton's open-to-close return R.
        let target = PortableMath.log(day.close / day.open)
        let correction = target - walk[n]
        var level = [Double](repeating: 0, count: n + 1)
        var logLevel = [Double](repeating: 0, count: n + 1)
        let logOpen = PortableMath.log(day.open)
        let shockJumps = IntradayPath.scheduledJumps(shocks, sessionSeconds: n)
        for s in 0...n {
            var x = walk[s] + cumulativeVariance[s] / c * correction
            if let shockJumps { x += shockJumps[s] }
            level[s] = day.open * KernelMath.exp(x)
            logLevel[s] = logOpen + x
        }
        var high = level
        var low = level
        for s in stride(from: 1, through: n, by: 1) {
            high[s] = max(high[s - 1], level[s])
            low[s] = min(low[s - 1], level[s])
        }
        highSoFar = high
        lowSoFar = low
        self.logLevel = logLevel
        self.logOpen = logOpen
        self.index = spec.number
        self.date = day.date
        self.level = level
        self.variance = variance
        self.open = day.open
        self.previousClose = day.previousClose
        self.dayVol = day.vol
    }

    /// The session's jumps, sorted by second: count, times and standardised sizes are market-wide.
    static func jumps(random: CounterRandom, model: IndexModel, date: TradingDate, sessionSeconds: Int)
        -> [(second: Int, size: Double)]
    {
        let stream = RandomStreams.keyed(RandomStreams.jumps, day: date)
        // Poisson count by inversion of one uniform shared by all indices.
        let u = random.uniform(stream: stream, index: 0)
        var count = 0
        var probability = PortableMath.exp(-model.jumpsPerDay)
        var cumulative = probability
        while u > cumulative, count < 20 {
            count += 1
            probability *= model.jumpsPerDay / Double(count)
            cumulative += probability
        }
        var jumps: [(second: Int, size: Double)] = []
        for j in 0..<count {
            let second = Int(random.uniform(stream: stream, index: UInt64(1 + 2 * j)) * Double(sessionSeconds))
            let size = model.jumpMean + model.jumpVol * random.normal(stream: stream, index: UInt64(2 + 2 * j))
            jumps.append((min(second, sessionSeconds - 1), size))
        }
        jumps.sort { $0.second < $1.second }
        return jumps
    }
}
