/// A listed derivative contract: an index option or future, with its identity on the wire.
///
/// Identity follows Kite: `instrumentToken = exchangeToken × 256 + segment code`. Exchange tokens
/// are derived, not stored (see `InstrumentToken`), so a token names the same contract on every run.
public struct Contract: Sendable, Hashable {
    /// Option or future.
    public enum Kind: Sendable, Hashable {
        case option(OptionRight)
        case future
    }

    /// Derivatives name (e.g. `NIFTY`) and the index's stable number.
    public var name: String
    public var indexNumber: Int
    public var kind: Kind
    public var expiry: TradingDate
    public var isMonthlyExpiry: Bool
    /// Strike in paise; 0 for futures.
    public var strikePaise: Int64
    /// Lot size in force for this contract (by its expiry date).
    public var lotSize: Int64
    public var tradingsymbol: String
    /// `NFO` or `BFO`.
    public var exchange: String
    public var exchangeToken: Int64
    public var instrumentToken: Int64

    /// `CE`, `PE` or `FUT`, Kite's `instrument_type`.
    public var instrumentType: String {
        switch kind {
        case .option(let right): return right.rawValue
        case .future: return "FUT"
        }
    }

    /// Kite's segment, e.g. `NFO-OPT`.
    public var segment: String { exchange + (kind == .future ? "-FUT" : "-OPT") }

    /// The option right, nil for a future.
    public var right: OptionRight? {
        if case .option(let right) = kind { return right }
        return nil
    }
}

/// The derived 24-bit exchange tokens of simulated derivatives.
///
/// Bits, high to low: kind (4: index number 0–7 for options, 8 + number for futures), expiry day
/// (10: days since epoch mod 1024), strike slot (9: strike/step mod 512), right (1: CE 0, PE 1).
/// Contracts listed at the same time never share a token: their expiries lie within 1024 days
/// and their strikes within 512 steps of each other.
public enum InstrumentToken {
    /// The exchange token of an option or future.
    public static func exchangeToken(indexNumber: Int, expiry: TradingDate, strikeSlot: Int64, kind: Contract.Kind) -> Int64 {
        let day = Int64(((expiry.daysSinceEpoch % 1024) + 1024) % 1024)
        switch kind {
        case .option(let right):
            let slot = ((strikeSlot % 512) + 512) % 512
            return Int64(indexNumber) << 20 | day << 10 | slot << 1 | (right == .put ? 1 : 0)
        case .future:
            return Int64(8 + indexNumber) << 20 | day << 10
        }
    }

    /// The fields packed in an instrument token: segment code, kind bits, expiry-day bits, slot, put flag.
    public static func decode(_ token: Int64) -> (segment: Int64, kind: Int, day: Int, slot: Int64, isPut: Bool) {
        let exchangeToken = token >> 8
        return (token & 0xFF, Int(exchangeToken >> 20), Int((exchangeToken >> 10) & 1023),
                (exchangeToken >> 1) & 511, exchangeToken & 1 == 1)
    }
}
