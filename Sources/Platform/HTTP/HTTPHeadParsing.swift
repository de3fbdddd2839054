/// Grammar shared by the request and response parsers: finding the end of a head, splitting it
/// into lines, and reading header fields (RFC 9112 §2 and §5).
///
/// Lines end in CRLF; a bare LF is tolerated as h11 and browsers do. Obsolete line folding,
/// whitespace before the colon, invalid name characters and control characters in values are
/// rejected with 400.
enum HTTPHeadParsing {
    /// Where the head ends (the index just past its empty line) in `bytes`, scanning from `scanFrom`.
    ///
    /// Returns nil if the head is not complete; `scanFrom` is advanced so repeated calls over a
    /// growing buffer stay linear.
    static func findHeadEnd(_ bytes: UnsafeBufferPointer<UInt8>, scanFrom: inout Int) -> Int? {
        var index = scanFrom
        let count = bytes.count
        while index < count {
            if bytes[index] == 0x0A {
                if index + 1 >= count { scanFrom = index; return nil }
                if bytes[index + 1] == 0x0A { return index + 2 }
                if bytes[index + 1] == 0x0D {
                    if index + 2 >= count { scanFrom = index; return nil }
                    if bytes[index + 2] == 0x0A { return index + 3 }
                }
            }
            index += 1
        }
        scanFrom = count
        return nil
    }

    /// The end of the line starting at `start` (index of its LF), or nil if none before `end`.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            if bytes[index] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// The line content between `start` and the LF at `lf`, without a trailing CR.
    static func contentEnd(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, lf: Int) -> Int {
        lf > start && bytes[lf - 1] == 0x0D ? lf - 1 : lf
    }

    /// Parses header field lines from `start` up to `end` (the head's final empty line excluded).
    static func parseFields(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, fieldCountMax: Int,
        headerLimit: Int
    ) throws(HTTPParseError) -> HTTPHeaders {
        var fields: [(name: String, value: String)] = []
        var lineStart = start
        while lineStart < end, let lf = lineEnd(bytes, from: lineStart, to: end) {
            let contentEnd = contentEnd(bytes, start: lineStart, lf: lf)
            if contentEnd == lineStart { break }  // the empty line that ends the head
            guard fields.count < fieldCountMax else { throw .headerSectionTooLarge(limitBytes: headerLimit) }
            fields.append(try parseField(bytes, start: lineStart, end: contentEnd))
            lineStart = lf + 1
        }
        return HTTPHeaders(fields)
    }

    private static func parseField(
        _ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int
    ) throws(HTTPParseError) -> (name: String, value: String) {
        let first = bytes[start]
        if first == 0x20 || first == 0x09 { throw .malformed(reason: "obsolete line folding in a header field") }
        var colon = start
        while colon < end, bytes[colon] != 0x3A {
            guard isTokenByte(bytes[colon]) else {
                throw .malformed(reason: "invalid character in a header field name (or whitespace before ':')")
            }
            colon += 1
        }
        guard colon < end, colon > start else { throw .malformed(reason: "header field without a name and ':'") }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        for index in valueStart..<valueEnd {
            let byte = bytes[index]
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw .malformed(reason: "control character in a header field value")
            }
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
        return (name, value)
    }

    /// True for the `tchar` bytes of RFC 9110 §5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        tokenTable[Int(byte)]
    }

    static let tokenTable: [Bool] = (0..<256).map { value in
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(value))
        }
    }
}
