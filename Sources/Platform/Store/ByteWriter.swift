/// Writes bytes through a raw pointer into memory the caller reserved; the caller bounds the size.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, count: Int = 0) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[count] = value
        count += 1
    }

    @inline(__always)
    mutating func comma() { byte(0x2C) }

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            (base + count).update(from: source.baseAddress!, count: source.count)
        }
        count += bytes.count
    }

    @inline(__always)
    mutating func write(_ source: UnsafePointer<UInt8>, count length: Int) {
        (base + count).update(from: source, count: length)
        count += length
    }

    /// Moves past `length` bytes the caller wrote through `base` itself.
    @inline(__always)
    mutating func skip(_ length: Int) { count += length }

    /// Two decimal digits, `00` through `99`.
    @inline(__always)
    mutating func pair(_ value: Int) {
        let pairs = ByteWriter.digitPairs.utf8Start
        base[count] = pairs[value &* 2]
        base[count + 1] = pairs[value &* 2 + 1]
        count += 2
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { source in
            if let address = source.baseAddress { (base + count).update(from: address, count: source.count) }
            count += source.count
        }
    }

    /// "00" through "99": two digits per table read halves the divisions.
    @inline(__always)
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// A decimal integer (at most 20 bytes).
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let digits = ByteWriter.decimalDigits(magnitude)
        let pairs = ByteWriter.digitPairs.utf8Start
        var end = count + digits
        while magnitude >= 100 {
            let pair = Int(magnitude % 100) &* 2
            magnitude /= 100
            end -= 2
            base[end] = pairs[pair]
            base[end + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            base[end - 2] = pairs[pair]
            base[end - 1] = pairs[pair + 1]
        } else {
            base[end - 1] = UInt8(truncatingIfNeeded: magnitude) &+ 0x30
        }
        count += digits
    }

    /// The number of decimal digits of `value` (1 for zero).
    @inline(__always)
    static func decimalDigits(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10_000 {
            rest /= 10_000
            digits += 4
        }
        if rest >= 100 {
            rest /= 100
            digits += 2
        }
        return rest >= 10 ? digits + 1 : digits
    }

    /// Paise as rupees with two decimals (at most 23 bytes).
    @inline(__always)
    mutating func rupees(_ paise: Int64) {
        if paise < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = paise.magnitude
        integer(Int64(magnitude / 100))
        byte(UInt8(ascii: "."))
        pair(Int(magnitude % 100))
    }
}
