/// Quote keys (`EXCHANGE:SYMBOL`) → position in the day's instrument list, for the quote route.
///
/// A quote call looks up to 500 keys; `[String: Int]` hashes each with SipHash over Unicode-
/// normalised text. Keys here are ASCII, so hashing their UTF-8 bytes with FNV-1a into a
/// power-of-two open-addressing table (load ≤ ½) and comparing the string on a hit finds the
/// same position for a fraction of the work. Where a key is listed twice the later position
/// wins, as with a dictionary filled in order. Never iterated.
struct KiteKeyTable: Sendable {
    /// Position + 1 per slot (0: free), the keys by position, and the slot count's shift.
    private let slots: [Int32]
    private let keys: [String]
    private let shift: UInt64
    /// Distinct keys stored.
    let count: Int

    init(_ keys: [String]) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(keys.count, 1) { bits += 1 }
        let capacity = 1 << Int(bits)
        var slots = [Int32](repeating: 0, count: capacity)
        var count = 0
        for (position, key) in keys.enumerated() {
            var slot = Self.slot(Self.hash(key), bits: bits)
            while slots[slot] != 0, keys[Int(slots[slot]) - 1] != key { slot = (slot + 1) & (capacity - 1) }
            if slots[slot] == 0 { count += 1 }
            slots[slot] = Int32(position + 1)
        }
        self.slots = slots
        self.keys = keys
        self.shift = 64 - bits
        self.count = count
    }

    /// The position of `key`, or nil when no instrument has it.
    func position(of key: String) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key) >> shift)
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return nil }
            if keys[stored - 1] == key { return stored - 1 }
            slot = (slot + 1) & mask
        }
    }

    static func slot(_ hash: UInt64, bits: UInt64) -> Int { Int(truncatingIfNeeded: hash >> (64 - bits)) }

    /// FNV-1a over the UTF-8 bytes, then a multiplicative mix so the top bits (the slot) depend on every byte.
    static func hash(_ key: String) -> UInt64 {
        func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            return (hash ^ (hash >> 29)) &* 0x9E37_79B9_7F4A_7C15
        }
        return key.utf8.withContiguousStorageIfAvailable { fnv($0) } ?? fnv(key.utf8)
    }
}
