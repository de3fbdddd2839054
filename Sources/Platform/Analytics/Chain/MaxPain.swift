/// Max pain: the listed strike at which option holders' total intrinsic payout, weighted by OI, is least.
///
/// For each listed strike S of one expiry, pain(S) = Σ_K callOI(K)·max(0, S - K) + Σ_K putOI(K)·max(0, K - S).
/// Only listed strikes are candidates. Ties go to the strike nearer to spot, then to the lower strike.
/// Computed in O(n log n) with prefix sums, so a 200-strike chain costs a few microseconds.
public struct MaxPain: Sendable, Hashable {
    /// The strike with the least pain.
    public var strike: Double
    /// The pain at that strike, in currency × OI units.
    public var pain: Double
    /// Pain at every listed strike, in strike order.
    public var painByStrike: [(strike: Double, pain: Double)]

    public static func == (lhs: MaxPain, rhs: MaxPain) -> Bool {
        lhs.strike == rhs.strike && lhs.pain == rhs.pain
            && lhs.painByStrike.elementsEqual(rhs.painByStrike) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(strike)
        hasher.combine(pain)
    }

    /// Max pain over `contracts` (one expiry; others are the caller's to filter), or nil with no strikes.
    public init?(_ contracts: [ChainContract], spot: Double) {
        var strikes: [Double] = []
        var callOI: [Double] = []
        var putOI: [Double] = []
        let rows = contracts.map { ($0.strike, $0.kind == .call, $0.openInterest) }
            .sorted { $0.0 < $1.0 }
        for (strike, isCall, openInterest) in rows {
            if strikes.last != strike {
                strikes.append(strike)
                callOI.append(0)
                putOI.append(0)
            }
            if isCall {
                callOI[callOI.count - 1] += openInterest
            } else {
                putOI[putOI.count - 1] += openInterest
            }
        }
        guard !strikes.isEmpty else { return nil }
        let n = strikes.count
        // Calls below S pay S - K: S·Σ callOI - Σ callOI·K over K < S, accumulated left to right.
        var pains = [Double](repeating: 0, count: n)
        var callCount = 0.0
        var callWeighted = 0.0
        for j in 0..<n {
            pains[j] = strikes[j] * callCount - callWeighted
            callCount += callOI[j]
            callWeighted += callOI[j] * strikes[j]
        }
        // Puts above S pay K - S, accumulated right to left.
        var putCount = 0.0
        var putWeighted = 0.0
        for j in stride(from: n - 1, through: 0, by: -1) {
            pains[j] += putWeighted - strikes[j] * putCount
            putCount += putOI[j]
            putWeighted += putOI[j] * strikes[j]
        }
        var best = 0
        for j in 1..<max(n, 1) {
            let nearer = abs(strikes[j] - spot) < abs(strikes[best] - spot)
            if pains[j] < pains[best] || (pains[j] == pains[best] && nearer) { best = j }
        }
        strike = strikes[best]
        pain = pains[best]
        painByStrike = Array(zip(strikes, pains)).map { (strike: $0.0, pain: $0.1) }
    }
}
