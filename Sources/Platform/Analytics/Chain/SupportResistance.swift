/// Support and resistance levels read from open-interest concentration on one expiry.
///
/// Heavy put open interest at a strike at or below spot is read as support (put writers defend it);
/// heavy call open interest at or above spot as resistance. Levels are ranked by OI, largest first,
/// ties to the strike nearer spot; `share` is the strike's OI over that side's total OI.
public struct SupportResistance: Sendable, Hashable {
    /// One level: a strike, its open interest on the relevant side, and its share of that side.
    public struct Level: Sendable, Hashable {
        public var strike: Double
        public var openInterest: Double
        public var share: Double
    }

    /// Put-OI levels at or below spot, strongest first.
    public var supports: [Level]
    /// Call-OI levels at or above spot, strongest first.
    public var resistances: [Level]

    /// The `count` strongest levels on each side.
    public init(_ contracts: [ChainContract], spot: Double, count: Int = 3) {
        supports = Self.levels(contracts, kind: .put, spot: spot, count: count) { $0 <= spot }
        resistances = Self.levels(contracts, kind: .call, spot: spot, count: count) { $0 >= spot }
    }

    static func levels(
        _ contracts: [ChainContract], kind: OptionKind, spot: Double, count: Int,
        keep: (Double) -> Bool
    ) -> [Level] {
        // (strike, OI) pairs of one side, summed per strike in strike order.
        let side = contracts.compactMap { $0.kind == kind ? ($0.strike, $0.openInterest) : nil }
            .sorted { $0.0 < $1.0 }
        var total = 0.0
        var byStrike: [(strike: Double, oi: Double)] = []
        for (strike, oi) in side {
            total += oi
            if let last = byStrike.last, last.strike == strike {
                byStrike[byStrike.count - 1].oi += oi
            } else {
                byStrike.append((strike, oi))
            }
        }
        let ranked = byStrike.filter { keep($0.strike) && $0.oi > 0 }.sorted {
            $0.oi != $1.oi ? $0.oi > $1.oi : abs($0.strike - spot) < abs($1.strike - spot)
        }
        return ranked.prefix(count).map {
            Level(strike: $0.strike, openInterest: $0.oi, share: total > 0 ? $0.oi / total : 0)
        }
    }
}
