/// Slices of one index already computed during one question, keyed by (expiry, second).
///
/// A chain replays every contract's trades, and contracts of one expiry share their slices; the
/// cache computes each (expiry, second) once. It lives only for one call, and a cached slice is
/// exactly the slice that would be recomputed, so answers never depend on it.
final class SliceCache {
    let market: Market
    let index: IndexSpec
    private var slices: [Int64: ExpirySlice] = [:]

    private let expiryPositions: [Int: Int]

    init(market: Market, index: IndexSpec) {
        self.market = market
        self.index = index
        var positions: [Int: Int] = [:]
        for (position, entry) in (market.catalogs[index.number]?.expiries ?? []).enumerated() {
            positions[entry.listing.date.daysSinceEpoch] = position
        }
        expiryPositions = positions
    }

    func slice(expiry: TradingDate, second: Int) -> ExpirySlice {
        if second % 60 == 0, let position = expiryPositions[expiry.daysSinceEpoch] {
            return market.minuteSlices[index.number][position][second / 60]
        }
        let key = Int64(expiry.daysSinceEpoch) << 20 | Int64(second)
        if let cached = slices[key] { return cached }
        let computed = market.slice(index, expiry: expiry, second: second)
        slices[key] = computed
        return computed
    }
}
