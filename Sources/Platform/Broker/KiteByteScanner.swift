import Glibc

/// A forward-only JSON scanner over response bytes that reads values without building a tree.
///
/// The quote path's workhorse: numbers go straight to integers (prices to exact paise),
/// object keys are compared as bytes, unknown values are skipped with a bounded depth. Every
/// failure is a `BrokerError.malformedResponse` naming what was expected and the byte offset.
struct KiteByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    let httpStatus: Int
    static let depthMax = 64
    /// Offsets of the two most recently used 19-byte timestamps and their instants, newest first: a
    /// snapshot's quotes share their `timestamp`, and often their `last_trade_time`, which alternate.
    var lastStampOffset = -1
    var lastStamp = Instant(nanosecondsSinceEpoch: 0)
    var olderStampOffset = -1
    var olderStamp = Instant(nanosecondsSinceEpoch: 0)
    /// Offset of a timestamp whose date (first 10 bytes) was valid, and that date's IST midnight.
    var dayOffset = -1
    var dayMidnight = Instant(nanosecondsSinceEpoch: 0)
    /// The last `timestamp` and `last_trade_time` `CanonicalTopReader` read in full, compared first.
    var timestampSeen = QuotedTime()
    var tradeTimeSeen = QuotedTime()

    init(_ bytes: UnsafeBufferPointer<UInt8>, httpStatus: Int) {
        self.bytes = bytes
        self.httpStatus = httpStatus
    }

    func fail(_ expected: String) -> BrokerError {
        let found = index < bytes.count ? "byte 0x\(String(bytes[index], radix: 16))" : "end of input"
        return .malformedResponse(reason: "expected \(expected) at offset \(index), found \(found)", httpStatus: httpStatus)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    /// The next non-blank byte, not consumed.
    @inline(__always)
    mutating func peek() throws(BrokerError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw fail("a value") }
        return bytes[index]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(BrokerError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw fail(what) }
        index += 1
    }

    /// Consumes `,` (returns true) or `close` (returns false) between members or elements.
    @inline(__always)
    mutating func nextMember(close: UInt8) throws(BrokerError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw fail("',' or a closing bracket") }
        let byte = bytes[index]
        index += 1
        if byte == 0x2C { return true }
        if byte == close { return false }
        index -= 1
        throw fail("',' or a closing bracket")
    }

    /// Opens a container: consumes `open` and reports whether it is empty (closing it if so).
    @inline(__always)
    mutating func open(_ open: UInt8, close: UInt8, _ what: String) throws(BrokerError) -> Bool {
        try expect(open, what)
        skipWhitespace()
        if index < bytes.count, bytes[index] == close {
            index += 1
            return false
        }
        return true
    }

    /// Reads a string literal's raw contents (between the quotes) and whether it holds escapes.
    @inline(__always)
    mutating func rawString() throws(BrokerError) -> (start: Int, end: Int, escaped: Bool) {
        try expect(0x22, "a string")
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                index += 1
                return (start, index - 1, escaped)
            }
            if byte == 0x5C {
                escaped = true
                index += 2
                continue
            }
            if byte < 0x20 { throw fail("no control characters inside a string") }
            index += 1
        }
        throw fail("the end of a string")
    }

    /// Reads a string literal as a validated `String` (escapes decoded, UTF-8 checked).
    mutating func string() throws(BrokerError) -> String {
        try stringValue(try rawString())
    }

    /// The validated `String` of a literal `rawString()` just read (escapes decoded, UTF-8 checked).
    func stringValue(_ raw: (start: Int, end: Int, escaped: Bool)) throws(BrokerError) -> String {
        let (start, end, escaped) = raw
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !escaped, !slice.contains(where: { $0 >= 0x80 }) {
            return String(decoding: slice, as: UTF8.self)
        }
        if !escaped {
            guard let text = String(validating: slice, as: UTF8.self) else { throw fail("valid UTF-8 in a string") }
            return text
        }
        let literal = Array(bytes[(start - 1)...end])
        do {
            guard case .string(let text) = try JSONParser.parse(literal) else { throw fail("a string") }
            return text
        } catch {
            throw BrokerError.malformedResponse(reason: "bad string escape near offset \(start): \(error)",
                                                httpStatus: httpStatus)
        }
    }

    /// Whether the raw key bytes equal `literal`.
    @inline(__always)
    func keyEquals(_ key: (start: Int, end: Int, escaped: Bool), _ literal: StaticString) -> Bool {
        let length = key.end - key.start
        guard length == literal.utf8CodeUnitCount else { return false }
        return KiteByteScanner.equal(bytes.baseAddress! + key.start, literal.utf8Start, length)
    }

    /// Consumes `pattern` (e.g. `"last_price":`) if the next non-blank bytes are exactly it.
    @inline(__always)
    mutating func consume(_ pattern: StaticString) -> Bool {
        skipWhitespace()
        let length = pattern.utf8CodeUnitCount
        guard index + length <= bytes.count,
            KiteByteScanner.equal(bytes.baseAddress! + index, pattern.utf8Start, length)
        else { return false }
        index += length
        return true
    }

    /// Compares `length` bytes with unaligned 8-byte loads, the tail as one overlapping load (no call).
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length >= 8 {
            var offset = 0
            while offset &+ 8 < length {
                if load8(a + offset) != load8(b + offset) { return false }
                offset &+= 8
            }
            return load8(a + (length &- 8)) == load8(b + (length &- 8))
        }
        if length >= 4 {
            return load4(a) == load4(b) && load4(a + (length &- 4)) == load4(b + (length &- 4))
        }
        var offset = 0
        while offset < length {
            if a[offset] != b[offset] { return false }
            offset &+= 1
        }
        return true
    }

    /// `equal` for `length` 16…32 without a loop: the words at 0, 8, `length - 16` and `length - 8` cover
    /// every byte (overlapping when shorter than 32), so how many words a length takes decides no branch; any
    /// other length goes to `equal`. The quote path's map keys (`"NFO:…":`) are this long.
    @inline(__always)
    static func equalKey(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard UInt(bitPattern: length &- 16) <= 16 else { return equal(a, b, length) }
        let tail = length &- 16
        let head = (load8(a) ^ load8(b)) | (load8(a + 8) ^ load8(b + 8))
        return head | (load8(a + tail) ^ load8(b + tail)) | (load8(a + (tail &+ 8)) ^ load8(b + (tail &+ 8))) == 0
    }

    /// `equal` for a literal whose `length` is known when compiling: 8-byte words, then a tail of 1–4 bytes
    /// as one 1-, 2- or 4-byte compare (against an immediate once folded), 5–7 as an overlapping word.
    @inline(__always)
    static func equalLiteral(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard length >= 8 else { return equal(a, b, length) }
        var offset = 0
        while offset &+ 8 < length {
            if load8(a + offset) != load8(b + offset) { return false }
            offset &+= 8
        }
        switch length &- offset {
        case 1: return a[offset] == b[offset]
        case 2: return load2(a + offset) == load2(b + offset)
        case 3, 4: return load4(a + (length &- 4)) == load4(b + (length &- 4))
        default: return load8(a + (length &- 8)) == load8(b + (length &- 8))
        }
    }

    @inline(__always)
    static func load2(_ pointer: UnsafePointer<UInt8>) -> UInt16 { UnsafeRawPointer(pointer).loadUnaligned(as: UInt16.self) }

    @inline(__always)
    static func load8(_ pointer: UnsafePointer<UInt8>) -> UInt64 { UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self) }

    @inline(__always)
    static func load4(_ pointer: UnsafePointer<UInt8>) -> UInt32 { UnsafeRawPointer(pointer).loadUnaligned(as: UInt32.self) }

    /// Reads a member key and the following `:`.
    @inline(__always)
    mutating func key() throws(BrokerError) -> (start: Int, end: Int, escaped: Bool) {
        let key = try rawString()
        try expect(0x3A, "':' after an object key")
        return key
    }

    /// Consumes `null` if it is next; returns whether it was.
    @inline(__always)
    mutating func null() throws(BrokerError) -> Bool {
        guard try peek() == 0x6E else { return false }
        guard index + 4 <= bytes.count, bytes[index + 1] == 0x75, bytes[index + 2] == 0x6C, bytes[index + 3] == 0x6C
        else { throw fail("null") }
        index += 4
        return true
    }

    /// Reads a JSON number scaled by 10^`scale` (0...3) and rounded half away from zero to an integer:
    /// scale 2 turns rupees into paise exactly, scale 0 reads counts. `null` reads as 0.
    ///
    /// The common shape, `[-]digits[.digits]` with at most 15 integer digits and at most `scale`
    /// fraction digits, is read inline without overflow checks (it cannot overflow). Everything
    /// else — null, rounding, exponents, long numbers, every error — is read by `scaledInFull`
    /// from the same offset, so results and errors do not depend on which path ran.
    @inline(__always)
    mutating func scaled(_ scale: Int) throws(BrokerError) -> Int64 {
        skipWhitespace()
        var position = index
        if let base = bytes.baseAddress, let value = KiteByteScanner.simpleNumber(base, bytes.count, at: &position, scale: scale) {
            index = position
            return value
        }
        return try scaledInFull(scale)
    }

    /// The common number shape at `position` (no blanks before it): `[-]digits[.digits]` with at most 15
    /// integer digits and 1…`scale` fraction digits, not followed by a digit, `.`, `e` or `E`. Returns it
    /// scaled by 10^`scale` (0...3) and advances `position`, or returns nil and leaves `position` alone.
    /// What it accepts, `scaledInFull` reads to the same value.
    @inline(__always)
    static func simpleNumber(_ base: UnsafePointer<UInt8>, _ count: Int, at start: inout Int, scale: Int) -> Int64? {
        guard start &+ 32 <= count else { return simpleNumberAnywhere(base, count, at: &start, scale: scale) }
        // At least 32 bytes remain: the integer part is one or two 8-byte runs and the fraction one more
        // (1...scale digits, at most 3, so a run of more is a digit after the last one kept: not simple).
        var position = start
        let negative = base[position] == 0x2D
        if negative { position &+= 1 }
        let first = digitRun(load8(base + position))
        guard first.digits > 0 else { return nil }
        var value = Int64(first.value)
        position &+= first.digits
        if first.digits == 8 {
            let second = digitRun(load8(base + position))
            guard second.digits < 8 else { return nil }
            value = value &* powerOfTen(second.digits) &+ Int64(second.value)
            position &+= second.digits
        }
        var next = base[position]
        var fraction = 0
        if next == 0x2E {
            position &+= 1
            let run = digitRun(load8(base + position))
            guard run.digits > 0, run.digits <= scale else { return nil }
            fraction = run.digits
            value = value &* powerOfTen(fraction) &+ Int64(run.value)
            position &+= fraction
            next = base[position]
        }
        if next &- 0x30 < 10 || next == 0x2E || next == 0x65 || next == 0x45 { return nil }
        while fraction < scale {
            value = value &* 10
            fraction &+= 1
        }
        start = position
        return negative ? -value : value
    }

    /// `simpleNumber` anywhere in the buffer, however close to its end (the fast path needs 32 bytes).
    @inline(never)
    static func simpleNumberAnywhere(_ base: UnsafePointer<UInt8>, _ count: Int, at start: inout Int, scale: Int) -> Int64? {
        var position = start
        guard position < count else { return nil }
        let negative = base[position] == 0x2D
        if negative { position &+= 1 }
        var value: Int64 = 0
        let digitsStart = position
        if position &+ 16 <= count {
            // Eight bytes at a time: count the leading digits, convert them together.
            let first = digitRun(load8(base + position))
            value = Int64(first.value)
            position &+= first.digits
            if first.digits == 8 {
                let second = digitRun(load8(base + position))
                guard second.digits < 8 else { return nil }  // 16 digits or more: not the simple shape
                value = value &* powerOfTen(second.digits) &+ Int64(second.value)
                position &+= second.digits
            }
        } else {
            while position < count, position &- digitsStart < 15 {
                let digit = base[position] &- 0x30
                guard digit < 10 else { break }
                value = value &* 10 &+ Int64(digit)
                position &+= 1
            }
            if position < count, position &- digitsStart == 15, base[position] &- 0x30 < 10 { return nil }
        }
        guard position > digitsStart else { return nil }
        var fraction = 0
        if position < count, base[position] == 0x2E {
            position &+= 1
            while position < count, fraction < scale {
                let digit = base[position] &- 0x30
                guard digit < 10 else { break }
                value = value &* 10 &+ Int64(digit)
                position &+= 1
                fraction &+= 1
            }
            guard fraction > 0 else { return nil }
        }
        if position < count {
            let next = base[position]
            if next &- 0x30 < 10 || next == 0x2E || next == 0x65 || next == 0x45 { return nil }
        }
        while fraction < scale {
            value = value &* 10
            fraction &+= 1
        }
        start = position
        return negative ? -value : value
    }

    /// Whether `simpleNumber` accepts the bytes at `start` with this `scale`; advances `start` past them
    /// exactly as it would, without computing the value (for fields the caller does not keep).
    @inline(__always)
    static func skipSimpleNumber(_ base: UnsafePointer<UInt8>, _ count: Int, at start: inout Int, scale: Int) -> Bool {
        var position = start
        guard position &+ 32 <= count else { return simpleNumberAnywhere(base, count, at: &start, scale: scale) != nil }
        if base[position] == 0x2D { position &+= 1 }
        // At least 32 bytes remain: the integer part is one or two 8-byte runs, as in `simpleNumber`, and
        // the fraction one more (1...scale digits, so at most 3 and never followed by a digit).
        var digits = digitCount(load8(base + position))
        if digits == 8 {
            let second = digitCount(load8(base + (position &+ 8)))
            guard second < 8 else { return false }
            digits &+= second
        }
        guard digits > 0 else { return false }
        position &+= digits
        var next = base[position]
        if next == 0x2E {
            position &+= 1
            let fraction = digitCount(load8(base + position))
            guard fraction > 0, fraction <= scale else { return false }
            position &+= fraction
            next = base[position]
        }
        if next &- 0x30 < 10 || next == 0x2E || next == 0x65 || next == 0x45 { return false }
        start = position
        return true
    }

    /// The second of the day of `HH:MM:SS` in 8 bytes read little-endian, or nil when a digit is not one or
    /// the time is out of range; the separators are not checked.
    ///
    /// The separators become '0', the six digits are checked at once, and each pair combines into one
    /// byte (tens * 10 + units) at bytes 0, 3 and 6.
    @inline(__always)
    static func clockSecond(_ clock: UInt64) -> Int64? {
        let word = (clock & 0xFFFF_00FF_FF00_FFFF) | 0x0000_3000_0030_0000
        guard digitFlags(word) == 0 else { return nil }
        let values = word &- 0x3030_3030_3030_3030
        let pairs = values &* 10 &+ (values &>> 8)
        let hour = Int64(truncatingIfNeeded: pairs & 0xFF)
        let minute = Int64(truncatingIfNeeded: (pairs &>> 24) & 0xFF)
        let second = Int64(truncatingIfNeeded: (pairs &>> 48) & 0xFF)
        guard hour < 24, minute < 60, second < 60 else { return nil }
        return hour &* 3600 &+ minute &* 60 &+ second
    }

    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// `scaled` for any number, with overflow checks and rounding.
    @inline(never)
    mutating func scaledInFull(_ scale: Int) throws(BrokerError) -> Int64 {
        if try null() { return 0 }
        let start = index
        var negative = false
        if bytes[index] == 0x2D {
            negative = true
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        // Up to 18 digits cannot overflow Int64: no checks in the common case.
        while digits < 18, index < bytes.count, bytes[index] &- 0x30 < 10 {
            value = value &* 10 &+ Int64(bytes[index] &- 0x30)
            digits += 1
            index += 1
        }
        while index < bytes.count, bytes[index] &- 0x30 < 10 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(bytes[index] &- 0x30))
            if o1 || o2 { throw BrokerError.malformedResponse(reason: "number at offset \(start) is out of range", httpStatus: httpStatus) }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else {
            index = start
            throw fail("a number")
        }
        var fractionDigits = 0
        var roundUp = false
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var seen = 0
            while index < bytes.count, bytes[index] &- 0x30 < 10 {
                let digit = Int64(bytes[index] &- 0x30)
                if fractionDigits < scale {
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(digit)
                    if o1 || o2 { throw BrokerError.malformedResponse(reason: "number at offset \(start) is out of range", httpStatus: httpStatus) }
                    value = sum
                    fractionDigits += 1
                } else if seen == scale {
                    roundUp = digit >= 5
                }
                seen += 1
                index += 1
            }
            guard seen > 0 else { throw fail("digits after a decimal point") }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            return try exponentNumber(from: start, scale: scale)
        }
        while fractionDigits < scale {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { throw BrokerError.malformedResponse(reason: "number at offset \(start) is out of range", httpStatus: httpStatus) }
            value = times
            fractionDigits += 1
        }
        if roundUp { value += 1 }
        return negative ? -value : value
    }

    /// The rare exponent form (`1.5e3`): read via `Double` and rounded, range-checked.
    mutating func exponentNumber(from start: Int, scale: Int) throws(BrokerError) -> Int64 {
        index += 1
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
        guard index > digitsStart else { throw fail("exponent digits") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        var factor = 1.0
        for _ in 0..<scale { factor *= 10 }
        guard let number = Double(text), number.isFinite,
            abs(number * factor) < 9.0e18
        else { throw BrokerError.malformedResponse(reason: "number '\(text)' is out of range", httpStatus: httpStatus) }
        return Int64((number * factor).rounded(.toNearestOrAwayFromZero))
    }

    /// Skips one value of any type, bounding nesting depth.
    mutating func skipValue(depth: Int = 0) throws(BrokerError) {
        guard depth < KiteByteScanner.depthMax else { throw fail("nesting shallower than \(KiteByteScanner.depthMax)") }
        switch try peek() {
        case 0x22: _ = try rawString()
        case 0x7B:
            guard try open(0x7B, close: 0x7D, "{") else { return }
            repeat {
                _ = try key()
                try skipValue(depth: depth + 1)
            } while try nextMember(close: 0x7D)
        case 0x5B:
            guard try open(0x5B, close: 0x5D, "[") else { return }
            repeat { try skipValue(depth: depth + 1) } while try nextMember(close: 0x5D)
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: _ = try null()
        default: _ = try scaled(0)
        }
    }

    mutating func literal(_ word: StaticString) throws(BrokerError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count, memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0 else {
            throw fail("\(word)")
        }
        index += length
    }

    /// Reads Kite's 19-character IST time `YYYY-MM-DD HH:MM:SS`; nil for `""`, null or another length.
    mutating func istTimestamp() throws(BrokerError) -> Instant? {
        if try null() { return nil }
        let (start, end, _) = try rawString()
        guard end - start == 19 else { return nil }
        guard let instant = stamp19(at: start) else {
            throw BrokerError.malformedResponse(reason: "bad timestamp at offset \(start): expected YYYY-MM-DD HH:MM:SS",
                                                httpStatus: httpStatus)
        }
        return instant
    }

    /// The IST instant of the 19 bytes at `start` (`YYYY-MM-DD HH:MM:SS`; separators are not checked), or
    /// nil when a digit, the year (1900–2200), the time or the date is invalid. The last two read are
    /// remembered: a snapshot's quotes share their times.
    @inline(__always)
    mutating func stamp19(at start: Int) -> Instant? {
        let base = bytes.baseAddress!
        if lastStampOffset >= 0, KiteByteScanner.equal(base + start, base + lastStampOffset, 19) {
            return lastStamp
        }
        if olderStampOffset >= 0, KiteByteScanner.equal(base + start, base + olderStampOffset, 19) {
            swap(&lastStampOffset, &olderStampOffset)
            swap(&lastStamp, &olderStamp)
            return lastStamp
        }
        func number(_ offset: Int, _ width: Int) -> Int? {
            var value = 0
            for position in start + offset..<start + offset + width {
                let digit = bytes[position] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let clock = KiteByteScanner.clockSecond(KiteByteScanner.load8(base + (start + 11))) else { return nil }
        // The date part is read once per day seen: a response's last trade times differ, their dates rarely.
        let midnight: Instant
        if dayOffset >= 0, KiteByteScanner.equal(base + start, base + dayOffset, 10) {
            midnight = dayMidnight
        } else {
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), (1900...2200).contains(year),
                let date = CivilDate(year: year, month: month, day: day)
            else { return nil }
            midnight = ISO8601.instant(date, hour: 0, minute: 0, second: 0)
            dayOffset = start
            dayMidnight = midnight
        }
        let instant = Instant(nanosecondsSinceEpoch: midnight.nanosecondsSinceEpoch + clock * 1_000_000_000)
        olderStampOffset = lastStampOffset
        olderStamp = lastStamp
        lastStampOffset = start
        lastStamp = instant
        return instant
    }
}
