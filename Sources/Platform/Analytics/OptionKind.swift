/// Whether an option is a call (right to buy) or a put (right to sell).
public enum OptionKind: Sendable, Hashable, CaseIterable {
    case call
    case put

    /// +1 for a call, -1 for a put: the sign that turns call formulas into put formulas.
    @inlinable
    public var sign: Double { self == .call ? 1 : -1 }

    /// Parses `C`/`CE`/`CALL` or `P`/`PE`/`PUT`, case-insensitive, as Kite and the CLI write them.
    public init?(code: some StringProtocol) {
        switch code.uppercased() {
        case "C", "CE", "CALL": self = .call
        case "P", "PE", "PUT": self = .put
        default: return nil
        }
    }

    /// `C` or `P`.
    public var code: String { self == .call ? "C" : "P" }
}
