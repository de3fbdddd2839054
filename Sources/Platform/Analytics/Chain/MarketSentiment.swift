/// A sentiment reading for one expiry that names the inputs that drove it and by how much.
///
/// Each driver scores in [-1, +1] (positive = bullish) from one folklore rule traders use; the
/// reading is their mean. None of these rules is a law of markets: the point of naming the drivers
/// is that a user can see, and disagree with, exactly why the summary says what it says.
/// - `pcr_oi`: PCR by OI; ≥ `pcrBullish` (heavy put writing) scores +1, ≤ `pcrBearish` scores -1, linear between.
/// - `pcr_oi_change`: the same rule on today's change in OI (only put OI added: +1; only call OI added: -1).
/// - `max_pain_gap`: (max pain - spot)/spot; spot below max pain is read as an upward pull; ±1% saturates.
/// - `oi_build_up`: OI added in put writing and call buying (bullish) against call writing and put buying (bearish).
/// - `support_resistance`: where spot sits between the strongest put-OI support and call-OI resistance.
public struct MarketSentiment: Sendable, Hashable {
    /// The overall reading, from the mean score.
    public enum Reading: String, Sendable, Hashable {
        case bullish
        case mildlyBullish = "mildly_bullish"
        case neutral
        case mildlyBearish = "mildly_bearish"
        case bearish
    }

    /// One input and its contribution.
    public struct Driver: Sendable, Hashable {
        public var name: String
        public var value: Double
        public var score: Double
        public var reason: String
    }

    /// The PCR levels read as bullish and bearish.
    public struct Thresholds: Sendable, Hashable {
        public var pcrBullish = 1.2
        public var pcrBearish = 0.7
        public init() {}
    }

    public var reading: Reading
    /// Mean driver score in [-1, 1].
    public var score: Double
    /// Drivers, strongest (largest |score|) first, ties by name.
    public var drivers: [Driver]

    /// One line: the reading, then each driver's reason, strongest first.
    public var summary: String {
        let reasons = drivers.filter { $0.score != 0 }.map(\.reason)
        return reading.rawValue.replacingUnderscores()
            + (reasons.isEmpty ? " (no driver moved)" : ": " + reasons.joined(separator: "; "))
    }

    /// Reads one expiry's contracts at `spot`.
    public init(_ contracts: [ChainContract], spot: Double, thresholds: Thresholds = Thresholds()) {
        self.init(
            contracts, spot: spot, totals: PutCallRatio(contracts),
            maxPain: MaxPain(contracts, spot: spot),
            levels: SupportResistance(contracts, spot: spot, count: 1), thresholds: thresholds)
    }

    /// Reads one expiry from already computed totals, max pain and levels (as `ChainAnalytics` has them).
    public init(
        _ contracts: [ChainContract], spot: Double, totals: PutCallRatio, maxPain: MaxPain?,
        levels: SupportResistance, thresholds: Thresholds = Thresholds()
    ) {
        var drivers: [Driver] = []
        if let pcr = totals.byOpenInterest {
            let score = Self.pcrScore(pcr, thresholds)
            drivers.append(
                Driver(
                    name: "pcr_oi", value: pcr, score: score,
                    reason: "PCR(OI) \(Self.fixed(pcr, 2))"
                        + (score > 0
                            ? " (put writing dominates)"
                            : score < 0 ? " (call writing dominates)" : "")))
        }
        let putAdded = totals.putOpenInterestChange
        let callAdded = totals.callOpenInterestChange
        if putAdded != 0 || callAdded != 0 {
            let score: Double
            let value = totals.byOpenInterestChange ?? .infinity
            if putAdded > 0 && callAdded > 0 {
                score = Self.pcrScore(putAdded / callAdded, thresholds)
            } else if putAdded > 0 {
                score = 1
            } else if callAdded > 0 {
                score = -1
            } else {
                score = 0
            }
            drivers.append(
                Driver(
                    name: "pcr_oi_change", value: value.isFinite ? value : 0, score: score,
                    reason:
                        "ΔOI puts \(Self.fixed(putAdded, 0)) vs calls \(Self.fixed(callAdded, 0))"))
        }
        if let maxPain, spot > 0 {
            let gap = (maxPain.strike - spot) / spot
            let score = max(-1, min(1, gap / 0.01))
            drivers.append(
                Driver(
                    name: "max_pain_gap", value: gap, score: score,
                    reason:
                        "spot \(Self.fixed(abs(gap) * 100, 2))% \(gap >= 0 ? "below" : "above") max pain \(Self.fixed(maxPain.strike, 2))"
                ))
        }
        drivers.append(contentsOf: Self.buildUpDriver(contracts))
        if let support = levels.supports.first, let resistance = levels.resistances.first,
            resistance.strike > support.strike
        {
            let position =
                ((resistance.strike - spot) - (spot - support.strike))
                / (resistance.strike - support.strike)
            drivers.append(
                Driver(
                    name: "support_resistance", value: position, score: max(-1, min(1, position)),
                    reason:
                        "support \(Self.fixed(support.strike, 2)), resistance \(Self.fixed(resistance.strike, 2))"
                ))
        }
        drivers.sort {
            abs($0.score) != abs($1.score) ? abs($0.score) > abs($1.score) : $0.name < $1.name
        }
        self.drivers = drivers
        score = drivers.isEmpty ? 0 : drivers.reduce(0) { $0 + $1.score } / Double(drivers.count)
        switch score {
        case 0.5...: reading = .bullish
        case 0.15..<0.5: reading = .mildlyBullish
        case ...(-0.5): reading = .bearish
        case -0.5 ..< -0.15: reading = .mildlyBearish
        default: reading = .neutral
        }
    }

    static func pcrScore(_ pcr: Double, _ thresholds: Thresholds) -> Double {
        let middle = 0.5 * (thresholds.pcrBullish + thresholds.pcrBearish)
        let half = 0.5 * (thresholds.pcrBullish - thresholds.pcrBearish)
        return max(-1, min(1, (pcr - middle) / half))
    }

    static func buildUpDriver(_ contracts: [ChainContract]) -> [Driver] {
        var bullish = 0.0
        var bearish = 0.0
        for contract in contracts {
            let added = abs(contract.openInterestChange)
            switch (contract.kind, OpenInterestBuildUp(contract)) {
            case (.put, .shortBuildUp), (.call, .longBuildUp), (.call, .shortCovering),
                (.put, .longUnwinding):
                bullish += added
            case (.call, .shortBuildUp), (.put, .longBuildUp), (.put, .shortCovering),
                (.call, .longUnwinding):
                bearish += added
            default: break
            }
        }
        guard bullish + bearish > 0 else { return [] }
        let score = (bullish - bearish) / (bullish + bearish)
        return [
            Driver(
                name: "oi_build_up", value: score, score: score,
                reason: "OI build-up \(fixed(bullish, 0)) bullish vs \(fixed(bearish, 0)) bearish")
        ]
    }

    /// A fixed-point rendering without Foundation: `digits` decimals, rounded half away from zero.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let padded = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - padded.count)) + padded
        }
        return text
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
