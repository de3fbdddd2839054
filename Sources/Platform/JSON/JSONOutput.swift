/// A buffer-based JSON encoder for hot paths: appends compact RFC 8259 text to a byte array.
///
/// Commas are inserted automatically; the caller only opens, names and closes. Doubles are
/// written in a short decimal form that parses back to the same bits (checked, not assumed);
/// non-finite doubles, which JSON cannot carry, are written as `null`.
///
/// ```swift
/// var out = JSONOutput()
/// out.beginObject()
/// out.key("ltp"); out.double(216.34)
/// out.key("oi"); out.int(1_472_825)
/// out.endObject()
/// out.bytes  // {"ltp":216.34,"oi":1472825}
/// ```
public struct JSONOutput: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its storage, so one encoder can serve many documents.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    @inline(__always) private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        JSONWriter.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ text: String) {
        separate()
        JSONWriter.appendString(text, to: &bytes)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func int(_ value: Int64) {
        separate()
        JSONOutput.appendInt(value, to: &bytes)
        needsComma = true
    }

    public mutating func int(_ value: Int) { int(Int64(value)) }

    /// Writes a double in a form that parses back to the same value (`null` if not finite).
    public mutating func double(_ value: Double) {
        separate()
        JSONOutput.appendDouble(value, to: &bytes)
        needsComma = true
    }

    /// Writes already-encoded JSON text as one value (the caller vouches that it is valid).
    public mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendUnsigned(value == .min ? UInt64(Int64.max) + 1 : UInt64(-value), to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(truncatingIfNeeded: value) + 0x30)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[23 - count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            }
            out.append(contentsOf: raw[(24 - count)...])
        }
    }

    /// Appends `value`: integers plainly, short decimals as integer/10ᵏ when that round-trips,
    /// everything else through the standard library's shortest round-trip form.
    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        let magnitude = abs(value)
        if magnitude < 1e15 && magnitude >= 1e-6 || value == 0 {
            // Try k = 0...8 fractional digits: scaled must be an integer below 2⁵³ whose quotient by
            // 10ᵏ (one correctly rounded division, as a parser would do) gives back `value` exactly.
            var k = 0
            while k <= 8 {
                let scaled = (magnitude * JSONReader.powersOfTen[k]).rounded()
                if scaled < 9_007_199_254_740_992 && scaled / JSONReader.powersOfTen[k] == magnitude {
                    if value.sign == .minus { out.append(UInt8(ascii: "-")) }
                    appendFixed(UInt64(scaled), fractionDigits: k, to: &out)
                    return
                }
                k += 1
            }
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends `units / 10^fractionDigits` in plain decimal notation.
    static func appendFixed(_ units: UInt64, fractionDigits: Int, to out: inout [UInt8]) {
        if fractionDigits == 0 {
            appendUnsigned(units, to: &out)
            return
        }
        var divisor: UInt64 = 1
        for _ in 0..<fractionDigits { divisor *= 10 }
        appendUnsigned(units / divisor, to: &out)
        out.append(UInt8(ascii: "."))
        var fraction = units % divisor
        var digits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            for position in stride(from: fractionDigits - 1, through: 0, by: -1) {
                raw[position] = UInt8(truncatingIfNeeded: fraction % 10) + 0x30
                fraction /= 10
            }
            out.append(contentsOf: raw[0..<fractionDigits])
        }
    }
}
