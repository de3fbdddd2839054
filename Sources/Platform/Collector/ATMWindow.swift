/// The strikes around at-the-money that the collector follows, re-centred with hysteresis.
///
/// The centre is the listed strike nearest the underlying. It moves only when the underlying is
/// more than `hysteresisSteps` strike steps away from the current centre, so an index flickering
/// around the midpoint between two strikes does not churn the subscription.
public struct ATMWindow: Sendable, Equatable {
    public private(set) var centerPaise: Int64?
    public let strikesEachSide: Int
    public let hysteresisSteps: Double
    /// Times the centre moved after it was first set.
    public private(set) var recenters = 0

    public init(strikesEachSide: Int, hysteresisSteps: Double) {
        self.strikesEachSide = strikesEachSide
        self.hysteresisSteps = hysteresisSteps
    }

    /// Updates the centre for `underlyingPaise` over `strikes` (ascending); returns the window's strikes,
    /// ordered by priority: ATM first, then alternating outward.
    public mutating func update(underlyingPaise: Int64, strikes: [Int64]) -> [Int64] {
        update(underlyingPaise: underlyingPaise, strikes: strikes, step: ATMWindow.step(strikes))
    }

    /// `update(underlyingPaise:strikes:)` with the strikes' `step` (`ATMWindow.step(strikes)`) worked
    /// out once by the caller, who keeps it while the strikes stay the same.
    public mutating func update(underlyingPaise: Int64, strikes: [Int64], step: Int64) -> [Int64] {
        guard !strikes.isEmpty else { return [] }
        let nearest = strikes.min { abs($0 - underlyingPaise) < abs($1 - underlyingPaise) }!
        if let center = centerPaise, strikes.contains(center) {
            if Double(abs(underlyingPaise - center)) > hysteresisSteps * Double(step), nearest != center {
                centerPaise = nearest
                recenters += 1
            }
        } else {
            if centerPaise != nil { recenters += 1 }
            centerPaise = nearest
        }
        let position = strikes.firstIndex(of: centerPaise!)!
        var ordered = [strikes[position]]
        for distance in stride(from: 1, through: strikesEachSide, by: 1) {
            if position + distance < strikes.count { ordered.append(strikes[position + distance]) }
            if position - distance >= 0 { ordered.append(strikes[position - distance]) }
        }
        return ordered
    }

    /// The step the hysteresis is measured in: the median gap between neighbouring `strikes`
    /// (ascending), 1 for fewer than two strikes.
    public static func step(_ strikes: [Int64]) -> Int64 {
        strikes.count > 1 ? medianStep(strikes) : 1
    }

    static func medianStep(_ strikes: [Int64]) -> Int64 {
        let gaps = zip(strikes.dropFirst(), strikes).map { $0 - $1 }.sorted()
        return gaps[gaps.count / 2]
    }
}
