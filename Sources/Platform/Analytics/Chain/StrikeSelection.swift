/// At-the-money strike conventions used on Indian option chains.
public enum StrikeSelection {
    /// The listed strike nearest to `price` (spot by default on NSE's view); an exact tie rounds up.
    public static func nearest(to price: Double, in strikes: [Double]) -> Double? {
        var best: Double?
        for strike in strikes {
            guard let current = best else {
                best = strike
                continue
            }
            let distance = abs(strike - price)
            let bestDistance = abs(current - price)
            if distance < bestDistance || (distance == bestDistance && strike > current) {
                best = strike
            }
        }
        return best
    }

    /// India VIX's K0: the listed strike just below the forward (the highest strike ≤ forward).
    public static func justBelow(_ forward: Double, in strikes: [Double]) -> Double? {
        strikes.filter { $0 <= forward }.max()
    }
}
