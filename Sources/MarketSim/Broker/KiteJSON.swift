/// Minimal byte-level JSON writing for the broker's responses: strings, integers and paise prices.
///
/// Hand-written because the quote route writes millions of numbers per second and MarketSim
/// cannot use Platform's writer.
public enum KiteJSON {
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, escaping quotes, backslashes and control bytes.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x00..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// Appends a decimal integer.
    @inline(__always)
    public static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 {
            out.append(0x2D)
            if value == .min {
                out.append(contentsOf: "9223372036854775808".utf8)
                return
            }
            appendUnsigned(UInt64(-value), to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    @inline(__always)
    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    /// Appends a paise amount as rupees: `2412345` → `24123.45`, `2400000` → `24000`, `5` → `0.05`.
    ///
    /// Trailing zeros of the fraction are dropped, as Kite's own JSON does.
    @inline(__always)
    public static func appendPaise(_ paise: Int64, to out: inout [UInt8]) {
        var value = paise
        if value < 0 {
            out.append(0x2D)
            value = value == .min ? .max : -value
        }
        appendUnsigned(UInt64(value / 100), to: &out)
        let fraction = Int(value % 100)
        if fraction == 0 { return }
        out.append(0x2E)
        out.append(UInt8(48 + fraction / 10))
        if fraction % 10 != 0 { out.append(UInt8(48 + fraction % 10)) }
    }

    /// Appends `"key":` (the key is written verbatim; callers pass plain ASCII names).
    @inline(__always)
    public static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(0x22)
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        out.append(0x3A)
    }
}
