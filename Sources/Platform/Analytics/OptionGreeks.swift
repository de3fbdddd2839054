/// An option's value and sensitivities, in the conventions of the golden fixtures and QuantLib.
///
/// - `price`: value in currency units (discounted).
/// - `delta`: ∂V/∂S for Black-Scholes-Merton (spot delta, includes e^{-qT}); ∂V/∂F for Black-76.
/// - `gamma`: ∂²V/∂S² (or ∂²V/∂F²).
/// - `vega`: ∂V/∂σ per 1.00 of volatility; divide by 100 for one vol point.
/// - `theta`: -∂V/∂T per year of calendar time (ACT/365); `thetaPerCalendarDay` divides by 365.
/// - `rho`: ∂V/∂r per 1.00 of rate; Black-Scholes-Merton holds q fixed (F moves with r),
///   Black-76 holds F fixed (only the discount moves), so there ρ = -T·V.
/// - `vanna`: ∂²V/∂S∂σ (or ∂²V/∂F∂σ); `volga`: ∂²V/∂σ², both per 1.00 of volatility.
public struct OptionGreeks: Sendable, Hashable {
    public var price: Double
    public var delta: Double
    public var gamma: Double
    public var vega: Double
    public var theta: Double
    public var rho: Double
    public var vanna: Double
    public var volga: Double

    public init(
        price: Double, delta: Double, gamma: Double, vega: Double, theta: Double, rho: Double,
        vanna: Double, volga: Double
    ) {
        self.price = price
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.theta = theta
        self.rho = rho
        self.vanna = vanna
        self.volga = volga
    }

    /// Days in the ACT/365 year that `theta` is quoted over.
    public static let daysPerYear = 365.0

    /// Theta per calendar day: `theta / 365`.
    public var thetaPerCalendarDay: Double { theta / Self.daysPerYear }

    /// Vega per one volatility point (0.01): `vega / 100`.
    public var vegaPerVolPoint: Double { vega / 100 }
}
