/// Turns a model price into a two-sided quote in integer ticks, and sizes the half-spread.
///
/// The mid is the model price rounded to the nearest half tick, m2/2 ticks with m2 = round(2·price/tick),
/// and the bid and ask sit symmetrically around it: b = max(0, ⌊m2/2 − H⌋), a = m2 − b. Hence, exactly:
/// b·tick ≤ price ≤ a·tick, a − b ≥ 1 tick (H ≥ ½), the quoted mid is within ¼ tick of the model
/// (½ tick for sub-¼-tick prices quoted 0 / 0.05), mids are monotone in the model price, and a
/// convex model chain gives quoted-mid butterflies ≥ −1 tick. Every no-arbitrage inequality between
/// model prices carries over to the executable quotes because each quote brackets its model price.
public enum QuoteRule {
    /// NSE index-derivative tick, in paise.
    public static let tickPaise: Int64 = 5
    /// Tick in rupees.
    public static let tick = 0.05

    /// (bid, ask) in ticks for a model price (rupees) and half-spread `halfSpreadTicks` ≥ ½.
    @inlinable @inline(__always)
    public static func quote(price: Double, halfSpreadTicks: Double) -> (bid: Int64, ask: Int64) {
        let doubled = roundedAwayFromZero(2 * price / tick)
        if doubled <= 0 { return (0, 1) }
        let bid = max(0, roundedDown(Double(doubled) * 0.5 - halfSpreadTicks))
        return (bid, doubled - bid)
    }

    /// `Int64(x.rounded(.toNearestOrAwayFromZero))` without a call into libm or the conversion's
    /// range checks. For |x| < 2⁵¹, adding 1.5 × 2⁵² rounds x to the nearest integer n (ties to
    /// even) in the sum's last place, so n is the difference of the two bit patterns, and x − n
    /// (exact) is ±½ exactly at the ties that went toward zero. Other x take the libm path (and
    /// trap where the conversion does: NaN, infinities, beyond Int64).
    @inlinable @inline(__always)
    public static func roundedAwayFromZero(_ x: Double) -> Int64 {
        guard abs(x) < 0x1p51 else { return Int64(x.rounded(.toNearestOrAwayFromZero)) }
        let (whole, nearest) = nearestInteger(x)
        let fraction = x - nearest
        return whole &+ (fraction == 0.5 && x > 0 ? 1 : 0) &- (fraction == -0.5 && x < 0 ? 1 : 0)
    }

    /// `Int64(x.rounded(.down))` without a call into libm or the conversion's range checks (as
    /// `roundedAwayFromZero`: the nearest integer, one less when above x).
    @inlinable @inline(__always)
    public static func roundedDown(_ x: Double) -> Int64 {
        guard abs(x) < 0x1p51 else { return Int64(x.rounded(.down)) }
        let (whole, nearest) = nearestInteger(x)
        return whole &- (nearest > x ? 1 : 0)
    }

    /// The integer nearest `x` (ties to even) for |x| < 2⁵¹, as an Int64 and as a Double (both exact).
    @inlinable @inline(__always)
    static func nearestInteger(_ x: Double) -> (Int64, Double) {
        let shift: Double = 0x1.8p52
        let shifted = x + shift
        return (Int64(bitPattern: shifted.bitPattern &- shift.bitPattern), shifted - shift)
    }

    /// The model's half-spread in ticks: a floor of ½ tick, a part proportional to price, a part
    /// growing with distance from the money (|z| standard deviations), all scaled by `multiplier`.
    @inlinable
    public static func halfSpreadTicks(priceTicks: Double, moneynessSD: Double, multiplier: Double) -> Double {
        max(0.5, multiplier * (0.5 + 0.0012 * priceTicks + 0.3 * min(abs(moneynessSD), 4)))
    }

    /// The time-of-day spread multiplier (≥ 0.85): wide at the open and into the close, widest
    /// after 14:30 on expiry day; `noise` in [0, 1) is a per-second draw shared by the expiry.
    @inlinable
    public static func spreadMultiplier(secondOfSession s: Int, sessionSeconds n: Int, isExpiryDay: Bool,
                                        noise: Double) -> Double
    {
        var m = 1 + 0.8 * KernelMath.exp(-Double(s) / 240)
        if s > n - 900 { m += 0.6 * Double(s - (n - 900)) / 900 }
        if isExpiryDay, s > n - 3600 { m += 1.2 * Double(s - (n - 3600)) / 3600 }
        return m * (0.85 + 0.3 * noise)
    }
}
