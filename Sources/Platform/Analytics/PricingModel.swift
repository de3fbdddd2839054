/// Which model a batch or a CLI row is priced with.
public enum PricingModel: String, Sendable, Hashable, CaseIterable {
    /// Black-Scholes-Merton on spot S with rate r and dividend yield q.
    case blackScholesMerton = "bsm"
    /// Black-76 on a forward F (the `underlying` column); the dividend yield is ignored.
    case black76 = "black76"
}
