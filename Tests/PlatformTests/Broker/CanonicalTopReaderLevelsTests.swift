import Testing

@testable import Platform

/// `CanonicalTopReader.laterLevels` (bit masks of a level's bytes, one branch per level) must accept exactly
/// what the stepwise rule accepts, ending at the same position: checked against that rule written out here
/// run by run, on plain levels and levels with one byte changed or inserted anywhere.
@Suite struct CanonicalTopReaderLevelsTests {
    /// The stepwise rule: per level `},{"price":` 1…8 digits, optionally `.` and 1 or 2 digits,
    /// `,"quantity":` 1…8 digits, `,"orders":` 1…8 digits; `}]` ends; at most 64 levels; nil otherwise.
    static func reference(_ bytes: [UInt8], _ start: Int) -> Int? {
        var at = start
        var read = 1
        func literal(_ text: String) -> Bool {
            let literal = Array(text.utf8)
            guard at + literal.count <= bytes.count, Array(bytes[at..<(at + literal.count)]) == literal else { return false }
            at += literal.count
            return true
        }
        func digits(max: Int) -> Int {
            var count = 0
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 {
                at += 1
                count += 1
            }
            return count >= 1 && count <= max ? count : 0
        }
        while true {
            if literal("}]") { return at }
            guard read < CanonicalQuoteReader.levelsMax, bytes.count - at >= CanonicalTopReader.levelSpan,
                literal(#"},{"price":"#), digits(max: 8) > 0
            else { return nil }
            if at < bytes.count, bytes[at] == 0x2E {
                at += 1
                guard digits(max: 2) > 0 else { return nil }
            }
            guard literal(#","quantity":"#), digits(max: 8) > 0, literal(#","orders":"#), digits(max: 8) > 0 else { return nil }
            read += 1
        }
    }

    /// The fast path's answer on `bytes` (padded so every stretch it may read lies inside).
    static func fast(_ bytes: [UInt8], _ start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            CanonicalTopReader.laterLevels(buffer.baseAddress!, start, count: buffer.count)
        }
    }

    /// Levels after the best as the mock writes them (runs of 1…7 digits), or one digit longer, with 0–2 fraction digits.
    static func levels(_ random: inout SplitMix64, count: Int) -> String {
        func digits(_ count: UInt64) -> String {
            String((0..<count).map { _ in Character(String(random.next() % 10)) })
        }
        var text = ""
        for _ in 0..<count {
            let fraction = random.next() % 3
            let price = digits(1 + random.next() % 8) + (fraction == 0 ? "" : "." + digits(fraction))
            text += #"},{"price":\#(price),"quantity":\#(digits(1 + random.next() % 8)),"orders":\#(digits(1 + random.next() % 8))"#
        }
        return text + "}]"
    }

    /// Bytes that sit at the edges of the masks: digits, the literals' bytes, `.`, digits with the top bit
    /// set, and bytes whose neighbours a carry or borrow would reach.
    static let edgeBytes: [UInt8] = [0x30, 0x39, 0x35, 0x2E, 0x2C, 0x7D, 0x5D, 0x22, 0x3A, 0x2F, 0x3A, 0x2D, 0xB0, 0xB9, 0xAE, 0x00, 0xFF,
                                     0x20, 0x65, 0x7B]

    @Test("plain later levels are read by the fast path, to the same end as the stepwise rule",
          arguments: [1, 2, 3] as [UInt64])
    func plainLevels(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let text = "X" + CanonicalTopReaderLevelsTests.levels(&random, count: Int(random.next() % 6))
            let bytes = Array(text.utf8) + Array(repeating: 0x20, count: 200)
            let expected = text.utf8.count
            #expect(CanonicalTopReaderLevelsTests.reference(bytes, 1) == expected)
            #expect(CanonicalTopReaderLevelsTests.fast(bytes, 1) == expected)
        }
    }

    /// `bytes` with one or two bytes changed, inserted or removed at random (often one of `edgeBytes`),
    /// then padded with digits or spaces past `CanonicalTopReader.levelSpan`: a run may go on past them.
    static func mutatedAndPadded(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        let edits = 1 + random.next() % 2
        for _ in 0..<edits {
            let index = Int(random.next() % UInt64(bytes.count))
            let byte = random.next() % 3 == 0 ? UInt8(truncatingIfNeeded: random.next())
                : edgeBytes[Int(random.next() % UInt64(edgeBytes.count))]
            switch random.next() % 4 {
            case 0: bytes.insert(byte, at: index)
            case 1: bytes.remove(at: index)
            default: bytes[index] = byte
            }
        }
        let pad: UInt8 = random.next() % 2 == 0 ? 0x37 : 0x20
        return bytes + Array(repeating: pad, count: CanonicalTopReader.levelSpan + Int(random.next() % 64))
    }

    @Test("a byte changed, inserted or removed anywhere in later levels gives the stepwise rule's answer",
          arguments: [11, 12, 13, 14] as [UInt64])
    func mutatedLevels(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let plain = Array(CanonicalTopReaderLevelsTests.levels(&random, count: 1 + Int(random.next() % 5)).utf8)
            let bytes = CanonicalTopReaderLevelsTests.mutatedAndPadded(plain, &random)
            let text = String(decoding: bytes.prefix(80), as: UTF8.self)
            #expect(CanonicalTopReaderLevelsTests.fast(bytes, 0) == CanonicalTopReaderLevelsTests.reference(bytes, 0),
                    "\(text)")
        }
    }

    @Test("levels too near the end of the body, or more than 64, are declined as the stepwise rule declines them")
    func boundsAndCount() {
        var random = SplitMix64(seed: 5)
        for count in [62, 63, 64, 65] {
            let text = CanonicalTopReaderLevelsTests.levels(&random, count: count)
            let bytes = Array(text.utf8) + Array(repeating: 0x20, count: 200)
            #expect(CanonicalTopReaderLevelsTests.fast(bytes, 0) == CanonicalTopReaderLevelsTests.reference(bytes, 0))
            #expect((CanonicalTopReaderLevelsTests.fast(bytes, 0) != nil) == (count < 64))
        }
        let text = CanonicalTopReaderLevelsTests.levels(&random, count: 3)
        for padding in [0, 40, 100, 127, 128, 129, 200] {
            let bytes = Array(text.utf8) + Array(repeating: 0x20, count: padding)
            #expect(CanonicalTopReaderLevelsTests.fast(bytes, 0) == CanonicalTopReaderLevelsTests.reference(bytes, 0))
        }
    }
}
