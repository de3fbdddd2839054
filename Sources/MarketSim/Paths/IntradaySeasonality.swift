/// The intraday U-shapes of volatility and trading activity (Andersen & Bollerslev 1997).
///
/// Both are functions of the fraction of the session elapsed, x in [0, 1]: high at the open,
/// lowest around lunch, rising into the close. The volatility profile is normalised so its mean
/// square over the session is 1, so it reshapes the day's variance without changing it.
public enum IntradaySeasonality {
    /// Relative instantaneous volatility at session fraction `x`; mean of its square is 1.
    public static func volatility(_ x: Double) -> Double { rawVolatility(x) / volatilityNorm }

    /// Relative trading intensity at session fraction `x` (1 ≈ midday).
    public static func activity(_ x: Double) -> Double {
        0.75 + 2.4 * (x - 0.55) * (x - 0.55) + 1.6 * KernelMath.exp(-x / 0.04)
            + 0.9 * KernelMath.exp(-(1 - x) / 0.04)
    }

    /// `volatility` at the middle of each second of a session of `sessionSeconds` seconds.
    public static func volatilityProfile(sessionSeconds n: Int) -> [Double] {
        if n == standardProfile.count { return standardProfile }
        return (0..<n).map { volatility((Double($0) + 0.5) / Double(n)) }
    }

    static let standardProfile: [Double] = (0..<22_500).map { volatility((Double($0) + 0.5) / 22_500) }

    static func rawVolatility(_ x: Double) -> Double {
        0.8 + 1.5 * (x - 0.55) * (x - 0.55) + 1.1 * PortableMath.exp(-x / 0.03)
            + 0.35 * PortableMath.exp(-(1 - x) / 0.03)
    }

    static let volatilityNorm: Double = {
        let steps = 22_500
        var sum = 0.0
        for s in 0..<steps {
            let v = rawVolatility((Double(s) + 0.5) / Double(steps))
            sum += v * v
        }
        return (sum / Double(steps)).squareRoot()
    }()
}
