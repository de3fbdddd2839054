/// The random-number port: a stream of uniformly distributed 64-bit words.
///
/// Simulation hands components a generator derived from the scenario seed; live runs seed one
/// from the command line or the clock and print the seed. Everything built on `next()` here uses
/// only integer arithmetic and IEEE 754 basic operations, so the same words give the same values
/// on every machine.
public protocol RandomSource {
    /// The next uniformly distributed 64-bit word.
    mutating func next() -> UInt64
}

extension RandomSource {
    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's method).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive, got 0")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform integer in `range`.
    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if width == 0 { return Int64(bitPattern: next()) }  // the full 64-bit range
        return range.lowerBound &+ Int64(bitPattern: next(below: width))
    }

    /// True with probability `probability` (clamped to [0, 1] by comparison).
    public mutating func nextBool(probability: Double) -> Bool {
        nextUnitInterval() < probability
    }
}
