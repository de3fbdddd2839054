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
        guard !strikes.isEmpty else { return [] }
        let nearest = strikes.min { abs($0 - underlyingPaise) < abs($1 - underlyingPaise) }!
        recenter(underlyingPaise: underlyingPaise, nearest: nearest, listed: { strikes.contains($0) }, step: ATMWindow.step(strikes))
        return ordered(strikes, center: strikes.firstIndex(of: centerPaise!)!)
    }

    /// `update(underlyingPaise:strikes:)` for strikes ascending and distinct (as `IndexContracts.strikes`
    /// lists them), with their `step` (`ATMWindow.step(strikes)`) worked out once by the caller, who
    /// keeps it while the strikes stay the same: the strikes are searched, not scanned.
    public mutating func update(underlyingPaise: Int64, strikes: [Int64], step: Int64) -> [Int64] {
        guard !strikes.isEmpty else { return [] }
        // The first strike at or above the underlying, and the one below it: the nearest is one of
        // them, the lower on a tie (the first in the list, as `min` keeps).
        let above = ATMWindow.firstIndex(atLeast: underlyingPaise, in: strikes)
        let nearest: Int64
        if above == strikes.count {
            nearest = strikes[above - 1]
        } else if above == 0 {
            nearest = strikes[0]
        } else {
            nearest = abs(strikes[above - 1] - underlyingPaise) <= abs(strikes[above] - underlyingPaise) ? strikes[above - 1] : strikes[above]
        }
        recenter(underlyingPaise: underlyingPaise, nearest: nearest, listed: { center in
            let at = ATMWindow.firstIndex(atLeast: center, in: strikes)
            return at < strikes.count && strikes[at] == center
        }, step: step)
        return ordered(strikes, center: ATMWindow.firstIndex(atLeast: centerPaise!, in: strikes))
    }

    /// Moves the centre to `nearest` when there is none yet, when the centre is no longer `listed`, or
    /// when the underlying is more than the hysteresis away from it.
    private mutating func recenter(underlyingPaise: Int64, nearest: Int64, listed: (Int64) -> Bool, step: Int64) {
        if let center = centerPaise, listed(center) {
            if Double(abs(underlyingPaise - center)) > hysteresisSteps * Double(step), nearest != center {
                centerPaise = nearest
                recenters += 1
            }
        } else {
            if centerPaise != nil { recenters += 1 }
            centerPaise = nearest
        }
    }

    /// The window's strikes around `strikes[center]`: the centre, then alternating outward.
    private func ordered(_ strikes: [Int64], center position: Int) -> [Int64] {
        var ordered = [strikes[position]]
        ordered.reserveCapacity(1 + 2 * strikesEachSide)
        for distance in stride(from: 1, through: strikesEachSide, by: 1) {
            if position + distance < strikes.count { ordered.append(strikes[position + distance]) }
            if position - distance >= 0 { ordered.append(strikes[position - distance]) }
        }
        return ordered
    }

    /// The first position of ascending `strikes` holding `value` or more (`strikes.count` if none).
    static func firstIndex(atLeast value: Int64, in strikes: [Int64]) -> Int {
        var low = 0
        var high = strikes.count
        while low < high {
            let middle = (low + high) / 2
            if strikes[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
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
