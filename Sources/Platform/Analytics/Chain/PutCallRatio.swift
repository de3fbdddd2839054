/// Put-call ratios by open interest, by volume and by change in open interest, as traders quote them.
///
/// Each ratio is Σ puts ÷ Σ calls over the chosen scope (a whole chain, one expiry, or one strike);
/// it is nil where the call side sums to zero, so a missing side never prints as infinity or NaN.
/// The change-in-OI ratio divides signed sums (a negative value means the two sides moved apart).
public struct PutCallRatio: Sendable, Hashable {
    public var putOpenInterest = 0.0
    public var callOpenInterest = 0.0
    public var putVolume = 0.0
    public var callVolume = 0.0
    public var putOpenInterestChange = 0.0
    public var callOpenInterestChange = 0.0

    public init() {}

    /// Totals over `contracts`.
    public init(_ contracts: some Sequence<ChainContract>) {
        for contract in contracts { add(contract) }
    }

    /// Adds one contract to the totals.
    public mutating func add(_ contract: ChainContract) {
        switch contract.kind {
        case .call:
            callOpenInterest += contract.openInterest
            callVolume += contract.volume
            callOpenInterestChange += contract.openInterestChange
        case .put:
            putOpenInterest += contract.openInterest
            putVolume += contract.volume
            putOpenInterestChange += contract.openInterestChange
        }
    }

    /// Σ put OI ÷ Σ call OI — "the" PCR.
    public var byOpenInterest: Double? { Self.ratio(putOpenInterest, callOpenInterest) }
    /// Σ put volume ÷ Σ call volume.
    public var byVolume: Double? { Self.ratio(putVolume, callVolume) }
    /// Σ put ΔOI ÷ Σ call ΔOI since the previous close.
    public var byOpenInterestChange: Double? {
        Self.ratio(putOpenInterestChange, callOpenInterestChange)
    }

    static func ratio(_ puts: Double, _ calls: Double) -> Double? {
        calls == 0 ? nil : puts / calls
    }

    /// Ratios per expiry, in expiry order.
    public static func perExpiry(_ contracts: [ChainContract]) -> [(
        expiry: CivilDate, ratio: PutCallRatio
    )] {
        grouped(contracts, by: \.expiry).map { (expiry: $0.key, ratio: PutCallRatio($0.members)) }
    }

    /// Ratios per strike of one expiry, in strike order.
    public static func perStrike(_ contracts: [ChainContract], expiry: CivilDate) -> [(
        strike: Double, ratio: PutCallRatio
    )] {
        grouped(contracts.filter { $0.expiry == expiry }, by: \.strike).map {
            (strike: $0.key, ratio: PutCallRatio($0.members))
        }
    }

    /// Groups by a comparable key in ascending key order (never in hash order).
    static func grouped<Key: Comparable>(
        _ contracts: [ChainContract], by key: (ChainContract) -> Key
    ) -> [(key: Key, members: [ChainContract])] {
        let sorted = contracts.sorted { key($0) < key($1) }
        var groups: [(key: Key, members: [ChainContract])] = []
        for contract in sorted {
            let value = key(contract)
            if let last = groups.last, last.key == value {
                groups[groups.count - 1].members.append(contract)
            } else {
                groups.append((value, [contract]))
            }
        }
        return groups
    }
}
