/// Byte-level JSON output (RFC 8259): strings escaped minimally, numbers that round-trip.
public enum JSONWriter {
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, escaping `"`, `\` and control characters.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `value` in the shortest form that parses back to the same bits.
    ///
    /// Integral values within ±2⁵³ print without a fraction (`42`, not `42.0`); non-finite values,
    /// which JSON cannot carry, print as `null`.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if value == value.rounded(), abs(value) < 0x1.0p53 {
            if value == 0, value.sign == .minus {
                out.append(contentsOf: "-0".utf8)
            } else {
                out.append(contentsOf: String(Int64(value)).utf8)
            }
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
