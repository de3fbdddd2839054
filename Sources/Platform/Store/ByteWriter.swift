/// Writes bytes through a raw pointer into memory the caller reserved; the caller bounds the size.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

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

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { source in
            if let address = source.baseAddress { (base + count).update(from: address, count: source.count) }
            count += source.count
        }
    }

    /// A decimal integer (at most 20 bytes).
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var position = count + digits - 1
        repeat {
            base[position] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        count += digits
    }

    /// Paise as rupees with two decimals (at most 23 bytes).
    mutating func rupees(_ paise: Int64) {
        if paise < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = paise.magnitude
        integer(Int64(magnitude / 100))
        byte(UInt8(ascii: "."))
        byte(UInt8(truncatingIfNeeded: magnitude % 100 / 10) + 0x30)
        byte(UInt8(truncatingIfNeeded: magnitude % 10) + 0x30)
    }
}
