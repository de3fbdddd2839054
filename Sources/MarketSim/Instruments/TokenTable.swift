/// Instrument token → dense contract id, an immutable open-addressing table for the quote path.
///
/// A `[Int64: Int]` lookup hashes with SipHash on every quote; tokens are already well spread
/// 32-bit numbers, so a multiplicative hash into a power-of-two table with linear probing (load
/// ≤ ½) finds an id in one or two probes. Never iterated, so its layout reaches no output.
struct TokenTable: Sendable {
    /// Slots of (token, id); `Self.empty` marks a free slot (tokens are positive).
    private let keys: [Int64]
    private let ids: [Int32]
    private let shift: UInt64

    static let empty = Int64.min

    /// A table of `tokens[i] → i` for positive tokens; a token listed twice maps to its later
    /// position, as a dictionary filled in order would (listed contracts never share one).
    init(_ tokens: [Int64]) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(tokens.count, 1) { bits += 1 }
        let capacity = 1 << Int(bits)
        var keys = [Int64](repeating: Self.empty, count: capacity)
        var ids = [Int32](repeating: -1, count: capacity)
        shift = 64 - bits
        for (id, token) in tokens.enumerated() {
            precondition(token > 0, "instrument token \(token) must be positive")
            var slot = Self.slot(token, shift: shift)
            while keys[slot] != Self.empty, keys[slot] != token { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = token
            ids[slot] = Int32(id)
        }
        self.keys = keys
        self.ids = ids
    }

    @inline(__always)
    static func slot(_ token: Int64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: token) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The id of `token`, or nil when it is not in the table.
    @inline(__always)
    subscript(token: Int64) -> Int? {
        guard token > 0 else { return nil }
        let mask = keys.count - 1
        var slot = Self.slot(token, shift: shift)
        while true {
            let key = keys[slot]
            if key == token { return Int(ids[slot]) }
            if key == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }
}
