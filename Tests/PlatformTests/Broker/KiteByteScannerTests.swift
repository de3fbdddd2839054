import Testing

@testable import Platform

/// `simpleNumber`'s 8-byte fast path must read exactly what its byte-at-a-time form (`simpleNumberAnywhere`)
/// reads, and `skipSimpleNumber` (fields the quote-top path does not keep) must accept exactly those
/// numbers and end at the same offset, so neither changes what a body decodes to.
@Suite struct KiteByteScannerTests {
    /// Bytes that make up numbers and what follows them in a quote body.
    static let alphabet = Array("0123456789-.eE,}]\" 0123456789".utf8)

    /// `bytes[start...]` through both readers: whether each accepts and where it stops.
    static func both(_ bytes: [UInt8], from start: Int, scale: Int) -> (number: Int?, skip: Int?) {
        bytes.withUnsafeBufferPointer { buffer in
            var numberEnd = start
            var skipEnd = start
            var referenceEnd = start
            let number = KiteByteScanner.simpleNumber(buffer.baseAddress!, buffer.count, at: &numberEnd, scale: scale)
            let skipped = KiteByteScanner.skipSimpleNumber(buffer.baseAddress!, buffer.count, at: &skipEnd, scale: scale)
            let reference = KiteByteScanner.simpleNumberAnywhere(buffer.baseAddress!, buffer.count, at: &referenceEnd, scale: scale)
            #expect(number == reference && numberEnd == referenceEnd,
                    "\(String(decoding: bytes, as: UTF8.self)) scale \(scale): \(String(describing: number)) vs \(String(describing: reference))")
            return (number == nil ? nil : numberEnd, skipped ? skipEnd : nil)
        }
    }

    @Test("the loop-free key compare agrees with byte equality at every length 0…40 and every differing byte")
    func keyCompare() {
        var random = SplitMix64(seed: 3)
        for length in 0...40 {
            let a = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var cases: [[UInt8]] = [a]
            for position in 0..<length {
                var b = a
                b[position] ^= UInt8(truncatingIfNeeded: 1 &+ random.next() % 255)
                cases.append(b)
            }
            for b in cases {
                let equal = a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        KiteByteScanner.equalKey(x.baseAddress ?? UnsafePointer(bitPattern: 8)!, y.baseAddress ?? UnsafePointer(bitPattern: 8)!, length)
                    }
                }
                #expect(equal == (a == b), "length \(length)")
            }
        }
    }

    @Test("reading fast, reading byte by byte and skipping agree on random bytes at every scale (value and end offset)",
          arguments: 0..<40)
    func skipAgreesWithRead(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            // A plausible number (sign, digit runs, a point) followed by filler, then cut at a random length.
            var text: [UInt8] = []
            if random.next() % 4 == 0 { text.append(0x2D) }
            for _ in 0..<Int(random.next() % 19) { text.append(0x30 + UInt8(random.next() % 10)) }
            if random.next() % 2 == 0 {
                text.append(0x2E)
                for _ in 0..<Int(random.next() % 5) { text.append(0x30 + UInt8(random.next() % 10)) }
            }
            for _ in 0..<Int(random.next() % 40) {
                text.append(KiteByteScannerTests.alphabet[Int(random.next() % UInt64(KiteByteScannerTests.alphabet.count))])
            }
            let prefix = Int(random.next() % 3)
            let bytes = Array(repeating: UInt8(0x3A), count: prefix) + text
            for scale in 0...3 {
                let result = KiteByteScannerTests.both(bytes, from: prefix, scale: scale)
                #expect(result.number == result.skip, "\(String(decoding: bytes, as: UTF8.self)) scale \(scale)")
            }
        }
    }

    @Test("reading fast, reading byte by byte and skipping agree on edge shapes: 15 and 16 digits, empty fractions, exponents")
    func skipEdgeShapes() {
        let filler = String(repeating: ",", count: 40)
        for number in ["123456789012345", "1234567890123456", "12345678", "1.", "-", "-.5", "0.05", "0.055", "7e2", "7.5E1",
                       "12345678.1", "1.2.3", "00", "-0", "99999999999999.99"] {
            for scale in 0...3 {
                for tail in ["", filler] {
                    let bytes = Array((number + tail).utf8)
                    let result = KiteByteScannerTests.both(bytes, from: 0, scale: scale)
                    #expect(result.number == result.skip, "\(number) scale \(scale) tail \(tail.count)")
                }
            }
        }
    }

    @Test("timestamps read through the caches equal the IST instant of their fields, or nil when a field is invalid",
          arguments: 0..<8)
    func stampsThroughCaches(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var text: [UInt8] = []
        var expected: [Instant?] = []
        var fields = (year: 2026, month: 11, day: 24, hour: 9, minute: 15, second: 0)
        for _ in 0..<400 {
            // Mostly repeats and small steps (what a response holds), sometimes a new or invalid day or time.
            switch random.next() % 8 {
            case 0: fields.day = Int(random.next() % 33)
            case 1: fields.month = Int(random.next() % 14)
            case 2: fields.hour = Int(random.next() % 26)
            case 3: fields.second = Int(random.next() % 61)
            case 4: fields.minute = Int(random.next() % 61)
            default: break
            }
            let stamp = padded(fields.year, 4) + "-" + padded(fields.month, 2) + "-" + padded(fields.day, 2) + " "
                + padded(fields.hour, 2) + ":" + padded(fields.minute, 2) + ":" + padded(fields.second, 2)
            text += Array(stamp.utf8)
            if fields.hour < 24, fields.minute < 60, fields.second < 60,
                let date = CivilDate(year: fields.year, month: fields.month, day: fields.day)
            {
                expected.append(ISO8601.instant(date, hour: fields.hour, minute: fields.minute, second: fields.second))
            } else {
                expected.append(nil)
            }
        }
        text.withUnsafeBufferPointer { buffer in
            var scanner = KiteByteScanner(buffer, httpStatus: 200)
            for (position, instant) in expected.enumerated() {
                #expect(scanner.stamp19(at: position * 19) == instant, "stamp \(position) seed \(seed)")
            }
        }
    }

    @Test("any bytes in a timestamp's time read as the digit-by-digit rule: six digits in range, separators unchecked",
          arguments: 0..<4)
    func stampTimeBytes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("0123456789:/ T-.".utf8) + [0x00, 0x2F, 0x3A, 0x7F, 0x80, 0xB0, 0xC6, 0xFF]
        let date = CivilDate(year: 2026, month: 11, day: 24)!
        for _ in 0..<500 {
            var time = Array("09:15:00".utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                time[Int(random.next() % 8)] = random.next() % 2 == 0
                    ? alphabet[Int(random.next() % UInt64(alphabet.count))] : UInt8(0x30 + random.next() % 10)
            }
            func pair(_ offset: Int) -> Int? {
                let tens = time[offset] &- 0x30
                let units = time[offset + 1] &- 0x30
                return tens < 10 && units < 10 ? Int(tens) * 10 + Int(units) : nil
            }
            var expected: Instant?
            if let hour = pair(0), let minute = pair(3), let second = pair(6), hour < 24, minute < 60, second < 60 {
                expected = ISO8601.instant(date, hour: hour, minute: minute, second: second)
            }
            let text = Array("2026-11-24 ".utf8) + time
            text.withUnsafeBufferPointer { buffer in
                var scanner = KiteByteScanner(buffer, httpStatus: 200)
                #expect(scanner.stamp19(at: 0) == expected, "\(time) seed \(seed)")
            }
        }
    }
}

/// `value` in decimal, zero-padded to `width` digits.
private func padded(_ value: Int, _ width: Int) -> String {
    let digits = "\(value)"
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
