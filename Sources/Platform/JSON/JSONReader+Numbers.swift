/// Number reading for `JSONReader`: strict RFC 8259 grammar, correctly rounded doubles.
///
/// Doubles with at most 15 significant digits and a decimal exponent within ±22 are computed
/// exactly with one IEEE multiplication or division (Clinger's fast path: both operands are
/// exact, so the one rounding is the correct one). Anything else goes to the standard library's
/// correctly rounded parser.
extension JSONReader {
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Reads a number as the nearest double.
    public mutating func readDouble() throws(JSONReadError) -> Double {
        _ = try peek()
        let start = offset
        var negative = false
        if bytes[offset] == UInt8(ascii: "-") {
            negative = true
            offset += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        let integerStart = offset
        while offset < bytes.count, bytes[offset] &- 0x30 < 10 {
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[offset] &- 0x30)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                significantDigits += 1
            }
            offset += 1
        }
        let integerDigits = offset - integerStart
        guard integerDigits > 0 else { throw error("invalid number: expected a digit") }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            offset = integerStart
            throw error("invalid number: leading zeros are not allowed")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            let fractionStart = offset
            while offset < bytes.count, bytes[offset] &- 0x30 < 10 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[offset] &- 0x30)
                    exponent -= 1
                    if mantissa != 0 { significantDigits += 1 }
                } else {
                    significantDigits += 1
                }
                offset += 1
            }
            guard offset > fractionStart else { throw error("invalid number: expected a digit after '.'") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            var exponentNegative = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                exponentNegative = bytes[offset] == UInt8(ascii: "-")
                offset += 1
            }
            let digitsStart = offset
            var written = 0
            while offset < bytes.count, bytes[offset] &- 0x30 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[offset] &- 0x30) }
                offset += 1
            }
            guard offset > digitsStart else { throw error("invalid number: expected a digit in the exponent") }
            exponent += exponentNegative ? -written : written
        }
        if significantDigits <= 15 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / JSONReader.powersOfTen[-exponent] : value * JSONReader.powersOfTen[exponent]
            return negative ? -value : value
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            offset = start
            throw error("number '\(text.prefix(40))' is outside the range of a double")
        }
        return value
    }

    /// Reads an integer number (no fraction or exponent) that fits in `Int64`.
    public mutating func readInt() throws(JSONReadError) -> Int64 {
        _ = try peek()
        let start = offset
        let negative = bytes[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        let digitsStart = offset
        var magnitude: UInt64 = 0
        while offset < bytes.count, bytes[offset] &- 0x30 < 10 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[offset] &- 0x30))
            guard !overflow1 && !overflow2 else {
                offset = start
                throw error("integer out of the 64-bit range")
            }
            magnitude = sum
            offset += 1
        }
        guard offset > digitsStart else { throw error("invalid number: expected a digit") }
        if offset - digitsStart > 1 && bytes[digitsStart] == UInt8(ascii: "0") {
            offset = digitsStart
            throw error("invalid number: leading zeros are not allowed")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") || bytes[offset] | 0x20 == UInt8(ascii: "e") {
            throw error("expected an integer, found a fraction or exponent")
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                offset = start
                throw error("integer out of the 64-bit range")
            }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            offset = start
            throw error("integer out of the 64-bit range")
        }
        return Int64(magnitude)
    }
}
