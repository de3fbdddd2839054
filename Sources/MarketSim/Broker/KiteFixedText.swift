/// The numbers of a contract's full `/quote` entry that stay fixed through a session, printed once.
///
/// A contract's token, its circuit limits (1/5 and 3× the close, plus 5 rupees) and its open
/// (which is also its close) depend only on the contract and its opening mid, yet a broker
/// serving a session writes them on every poll. Each is kept here as its text (up to 16 bytes,
/// as `KiteByteWriter` prints it) and stored back with one 16-byte store.
struct KiteFixedText: Sendable {
    /// Each number's text, zero-padded to 16 bytes, and its length.
    var token: SIMD16<UInt8> = .zero
    var lower: SIMD16<UInt8> = .zero
    var upper: SIMD16<UInt8> = .zero
    var open: SIMD16<UInt8> = .zero
    var tokenLength: UInt8 = 0
    var lowerLength: UInt8 = 0
    var upperLength: UInt8 = 0
    var openLength: UInt8 = 0
    /// The opening mid in ticks the prices were printed from.
    var openTicks: Int64 = 0
    /// Whether every text fit in 16 bytes; when not, the writer prints the numbers itself.
    var fits = false

    /// No text (a contract not yet asked).
    init() {}

    /// The texts of `token` and of the prices that follow from the opening mid `openTicks`.
    init(token: UInt32, openTicks: Int64) {
        self.openTicks = openTicks
        let close = openTicks * QuoteRule.tickPaise
        var fits = true
        (self.token, tokenLength) = Self.text(&fits) { KiteByteWriter.putUnsigned(UInt64(token), at: $0) }
        (lower, lowerLength) = Self.text(&fits) { KiteByteWriter.putPaise(max(5, close / 5), at: $0) }
        (upper, upperLength) = Self.text(&fits) { KiteByteWriter.putPaise(close * 3 + 500, at: $0) }
        (open, openLength) = Self.text(&fits) { KiteByteWriter.putPaise(close, at: $0) }
        self.fits = fits
    }

    /// Whether this holds no text yet.
    var isEmpty: Bool { tokenLength == 0 }

    /// What `print` writes, zero-padded, and its length; clears `fits` past 16 bytes.
    static func text(_ fits: inout Bool, _ print: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>)
        -> (SIMD16<UInt8>, UInt8)
    {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            let start = buffer.baseAddress!
            start.initialize(repeating: 0, count: 64)
            let length = print(start) - start
            guard length <= 16 else {
                fits = false
                return (.zero, 0)
            }
            (start + length).update(repeating: 0, count: 16 - length)
            return (UnsafeRawPointer(start).loadUnaligned(as: SIMD16<UInt8>.self), UInt8(length))
        }
    }

    /// Stores `text` (16 bytes; those past `length` land past the returned cursor and are overwritten).
    @inline(__always)
    static func put(_ text: SIMD16<UInt8>, length: UInt8, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(p).storeBytes(of: text, as: SIMD16<UInt8>.self)
        return p + Int(length)
    }
}
