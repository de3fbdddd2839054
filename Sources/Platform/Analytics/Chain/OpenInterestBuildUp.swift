/// The open-interest build-up reading of one contract: the sign of its price change × the sign of its OI change.
///
/// | price | OI   | reading          |
/// |-------|------|------------------|
/// | up    | up   | long build-up    |
/// | down  | up   | short build-up   |
/// | up    | down | short covering   |
/// | down  | down | long unwinding   |
/// Either change exactly zero reads as `neutral`.
public enum OpenInterestBuildUp: String, Sendable, Hashable, CaseIterable {
    case longBuildUp = "long_build_up"
    case shortBuildUp = "short_build_up"
    case shortCovering = "short_covering"
    case longUnwinding = "long_unwinding"
    case neutral

    /// Classifies from the changes against the previous close.
    public init(priceChange: Double, openInterestChange: Double) {
        switch (priceChange, openInterestChange) {
        case (let p, let o) where p > 0 && o > 0: self = .longBuildUp
        case (let p, let o) where p < 0 && o > 0: self = .shortBuildUp
        case (let p, let o) where p > 0 && o < 0: self = .shortCovering
        case (let p, let o) where p < 0 && o < 0: self = .longUnwinding
        default: self = .neutral
        }
    }

    /// Classifies one contract.
    public init(_ contract: ChainContract) {
        self.init(
            priceChange: contract.priceChange, openInterestChange: contract.openInterestChange)
    }
}
