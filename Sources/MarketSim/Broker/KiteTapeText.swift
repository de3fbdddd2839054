/// The fields of a contract's full `/quote` entry that change only with a trade, printed once per
/// trade and kept until the next.
///
/// Last price and quantity, volume, average price, open interest and its day's range, and the
/// net change all follow from the contract's trade tape (and its fixed close); most contracts
/// trade less than once a second, so a broker polling every second mostly rewrites the same
/// text. `head` holds `,"last_price":L,"last_quantity":Q` and `tail` holds
/// `,"volume":V,"average_price":A,"oi":O,"oi_day_high":H,"oi_day_low":W,"net_change":N`, the
/// bytes `KiteByteWriter` prints for them, keyed by the tape's trade count.
struct KiteTapeText: Sendable {
    typealias Run80 = (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
    typealias Run128 = (
        SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>,
        SIMD16<UInt8>
    )

    var head: Run80 = (.zero, .zero, .zero, .zero, .zero)
    var tail: Run128 = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    var headLength: UInt8 = 0
    var tailLength: UInt8 = 0
    /// The length of the last price's digits (they start right after `,"last_price":`).
    var lastLength: UInt8 = 0
    /// The tape's trade count the text was printed at; −1 for no text.
    var tradeCount = -1
    /// Whether both runs fit their storage; when not, the writer prints the fields itself.
    var fits = false

    /// No text.
    init() {}

    /// The text of `tape`'s fields for a contract whose opening mid (and close) is `openTicks`.
    init(tape: TradeTape, openTicks: Int64) {
        tradeCount = tape.tradeCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
            let start = buffer.baseAddress!
            start.initialize(repeating: 0, count: 512)
            let (headEnd, last) = Self.printHead(tape, openTicks: openTicks, at: start)
            let headCount = headEnd - start
            let tailStart = start + 256
            let tailCount = Self.printTail(tape, openTicks: openTicks, at: tailStart) - tailStart
            guard headCount <= MemoryLayout<Run80>.size, tailCount <= MemoryLayout<Run128>.size else { return }
            (start + headCount).update(repeating: 0, count: 256 - headCount)
            (tailStart + tailCount).update(repeating: 0, count: 256 - tailCount)
            withUnsafeMutableBytes(of: &head) { $0.copyMemory(from: UnsafeRawBufferPointer(start: start, count: $0.count)) }
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(start: tailStart, count: $0.count)) }
            headLength = UInt8(headCount)
            tailLength = UInt8(tailCount)
            lastLength = UInt8(last)
            fits = true
        }
    }

    /// `,"last_price":L,"last_quantity":Q`, and the length of L.
    @inline(__always)
    static func printHead(_ tape: TradeTape, openTicks: Int64, at start: UnsafeMutablePointer<UInt8>)
        -> (end: UnsafeMutablePointer<UInt8>, lastLength: Int)
    {
        typealias W = KiteByteWriter
        let last = tape.lastPriceTicks ?? openTicks
        var p = W.put(#","last_price":"#, at: start)
        let lastText = p
        p = W.putPaise(last * QuoteRule.tickPaise, at: p)
        let lastLength = p - lastText
        p = W.put(#","last_quantity":"#, at: p)
        return (W.putInt(tape.lastQuantity, at: p), lastLength)
    }

    /// `,"volume":V,"average_price":A,"oi":O,"oi_day_high":H,"oi_day_low":W,"net_change":N`.
    @inline(__always)
    static func printTail(_ tape: TradeTape, openTicks: Int64, at start: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        typealias W = KiteByteWriter
        let tick = QuoteRule.tickPaise
        let last = tape.lastPriceTicks ?? openTicks
        let close = openTicks * tick
        var p = W.put(#","volume":"#, at: start)
        p = W.putInt(tape.volume, at: p)
        p = W.put(#","average_price":"#, at: p)
        p = W.putPaise(tape.averagePriceTicks * tick, at: p)
        p = W.put(#","oi":"#, at: p)
        p = W.putInt(tape.openInterest, at: p)
        p = W.put(#","oi_day_high":"#, at: p)
        p = W.putInt(tape.openInterestHigh, at: p)
        p = W.put(#","oi_day_low":"#, at: p)
        p = W.putInt(tape.openInterestLow, at: p)
        p = W.put(#","net_change":"#, at: p)
        return W.putPaise(close == 0 ? 0 : last * tick - close, at: p)
    }

    /// Stores `text`'s head run (all 80 bytes; those past `headLength` land past the returned cursor, inside the
    /// entry's bound, and are overwritten), read in place.
    @inline(__always)
    static func putHead(_ text: UnsafePointer<KiteTapeText>, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let target = UnsafeMutableRawPointer(p)
        target.storeBytes(of: text.pointee.head.0, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.head.1, toByteOffset: 16, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.head.2, toByteOffset: 32, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.head.3, toByteOffset: 48, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.head.4, toByteOffset: 64, as: SIMD16<UInt8>.self)
        return p + Int(text.pointee.headLength)
    }

    /// Stores `text`'s tail run (all 128 bytes, as the head), read in place.
    @inline(__always)
    static func putTail(_ text: UnsafePointer<KiteTapeText>, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let target = UnsafeMutableRawPointer(p)
        target.storeBytes(of: text.pointee.tail.0, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.1, toByteOffset: 16, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.2, toByteOffset: 32, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.3, toByteOffset: 48, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.4, toByteOffset: 64, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.5, toByteOffset: 80, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.6, toByteOffset: 96, as: SIMD16<UInt8>.self)
        target.storeBytes(of: text.pointee.tail.7, toByteOffset: 112, as: SIMD16<UInt8>.self)
        return p + Int(text.pointee.tailLength)
    }
}
