/// Slices of one index already computed during one question, keyed by (expiry, second).
///
/// A chain replays every contract's trades, and contracts of one expiry share their slices; the
/// cache computes each (expiry, second) once. It lives only for one call, and a cached slice is
/// exactly the slice that would be recomputed, so answers never depend on it.
final class SliceCache {
    let market: Market
    let index: IndexSpec
    private var slices: [Int: [ExpirySlice?]] = [:]

    init(market: Market, index: IndexSpec) {
        self.market = market
        self.index = index
    }

    func slice(expiry: TradingDate, second: Int) -> ExpirySlice {
        let key = expiry.daysSinceEpoch
        if slices[key] == nil { slices[key] = [ExpirySlice?](repeating: nil, count: market.sessionSeconds + 1) }
        if let cached = slices[key]![second] { return cached }
        let computed = market.slice(index, expiry: expiry, second: second)
        slices[key]![second] = computed
        return computed
    }
}
