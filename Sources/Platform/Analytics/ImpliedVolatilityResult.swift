/// The outcome of an implied-volatility solve: a volatility, or the typed reason there is none.
///
/// A price outside the no-arbitrage bounds never yields NaN or a guess: it yields one of the
/// reasons below, which `code` spells the way the CLI's `status` column does.
public enum ImpliedVolatilityResult: Sendable, Hashable {
    /// The annual volatility σ (per 1.00) that reproduces the price.
    case solved(Double)
    /// The price is below the discounted intrinsic value max(ω(F - K), 0)·e^{-rT}.
    case belowIntrinsic
    /// The price reaches or exceeds the upper bound (the discounted forward for a call,
    /// the discounted strike for a put): no finite σ reaches it.
    case aboveUpperBound
    /// The price equals the intrinsic value to double precision: σ is 0 or not resolvable.
    case noTimeValue
    /// An input is outside the model's domain (non-positive S, K or T, or not finite).
    case invalidInput

    /// The volatility when solved, else nil.
    public var volatility: Double? {
        if case .solved(let sigma) = self { return sigma }
        return nil
    }

    /// `ok`, `below_intrinsic`, `above_upper_bound`, `no_time_value` or `invalid_input`.
    public var code: String {
        switch self {
        case .solved: "ok"
        case .belowIntrinsic: "below_intrinsic"
        case .aboveUpperBound: "above_upper_bound"
        case .noTimeValue: "no_time_value"
        case .invalidInput: "invalid_input"
        }
    }
}
