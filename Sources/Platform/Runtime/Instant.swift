/// A point in time as whole nanoseconds since the Unix epoch (UTC); never a floating-point number.
///
/// Instants are what the clock port hands out and what the scheduler orders by. They print as
/// ISO 8601 in Indian Standard Time (`2026-11-24T09:15:00+05:30`), the exchange's zone, where a
/// human reads them.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The instant `seconds` whole seconds after the Unix epoch.
    public init(secondsSinceEpoch seconds: Int64) {
        self.nanosecondsSinceEpoch = seconds * 1_000_000_000
    }

    public static let epoch = Instant(nanosecondsSinceEpoch: 0)

    /// Whole seconds since the epoch, rounded toward negative infinity.
    public var secondsSinceEpoch: Int64 {
        nanosecondsSinceEpoch.floorDivided(by: 1_000_000_000)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch + rhs.wholeNanoseconds)
    }

    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch - rhs.wholeNanoseconds)
    }

    /// The span from `rhs` to `lhs`.
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanosecondsSinceEpoch - rhs.nanosecondsSinceEpoch)
    }

    /// ISO 8601 in IST, with fractional seconds only when they are not zero.
    public var description: String { ISO8601.format(self) }
}

extension Duration {
    /// The duration as a whole number of nanoseconds, truncated toward zero.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension Int64 {
    /// Integer division rounding toward negative infinity (Swift's `/` truncates toward zero).
    @inlinable
    public func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that pairs with `floorDivided(by:)`: always in `0..<divisor` for a positive divisor.
    @inlinable
    public func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
