import Testing

@testable import Platform

/// `CanonicalTopReader.side` and `depth` (a side's best level read with branch-free digit values, the later
/// levels in straight-line code) must accept only what the stepwise canonical reader (`CanonicalQuoteReader`,
/// which agrees with the general reader) accepts, with the same best price and quantity and the same end,
/// and must accept every side in the mock's shapes.
@Suite struct CanonicalTopReaderDepthTests {
    static func digits(_ random: inout SplitMix64, _ count: UInt64) -> String {
        String((0..<count).map { _ in Character(String(random.next() % 10)) })
    }

    /// A side as the mock writes it (price 1…7 digits with 0–2 decimals, quantity 1…7 digits, orders 1…2),
    /// `levels` levels, after its `[`.
    static func plainSide(_ random: inout SplitMix64, levels: Int) -> String {
        let body = (0..<levels).map { _ in
            let fraction = random.next() % 3
            let price = digits(&random, 1 + random.next() % 7) + (fraction == 0 ? "" : "." + digits(&random, fraction))
            return #"{"price":\#(price),"quantity":\#(digits(&random, 1 + random.next() % 7)),"orders":\#(digits(&random, 1 + random.next() % 2))}"#
        }
        return body.joined(separator: ",") + "]"
    }

    /// The stepwise reader's answer: the best level and the position after `]`, or nil.
    static func reference(_ bytes: [UInt8], _ start: Int) -> (price: Int64, quantity: Int64, end: Int)? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = CanonicalQuoteReader(base: buffer.baseAddress!, count: buffer.count, position: start)
            var levels: [BrokerDepthLevel] = []
            guard let best = reader.levels(keep: false, into: &levels) else { return nil }
            return (best.pricePaise, best.quantity, reader.position)
        }
    }

    /// The tops reader's answer on the same bytes.
    static func fast(_ bytes: [UInt8], _ start: Int) -> (price: Int64, quantity: Int64, end: Int)? {
        bytes.withUnsafeBufferPointer { buffer in
            var position = start
            guard let best = CanonicalTopReader.side(buffer.baseAddress!, &position, count: buffer.count) else { return nil }
            return (best.price, best.quantity, position)
        }
    }

    static func expectAgreement(_ bytes: [UInt8], mustRead: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = CanonicalTopReaderDepthTests.fast(bytes, 0)
        let reference = CanonicalTopReaderDepthTests.reference(bytes, 0)
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        if let fast {
            #expect(reference.map { [$0.price, $0.quantity, Int64($0.end)] } == [fast.price, fast.quantity, Int64(fast.end)], "\(text)",
                    sourceLocation: sourceLocation)
        } else {
            #expect(!mustRead, "declined: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("sides in the mock's shapes, 0 to 9 levels, are read with the stepwise reader's best level and end",
          arguments: [1, 2, 3] as [UInt64])
    func plainSides(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<400 {
            let bytes = Array(CanonicalTopReaderDepthTests.plainSide(&random, levels: Int(random.next() % 10)).utf8)
                + Array(repeating: 0x20, count: CanonicalTopReader.levelSpan)
            CanonicalTopReaderDepthTests.expectAgreement(bytes, mustRead: true)
        }
    }

    @Test("a byte changed, inserted or removed anywhere in a side is declined or read as the stepwise reader reads it",
          arguments: [11, 12, 13, 14] as [UInt64])
    func mutatedSides(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let plain = Array(CanonicalTopReaderDepthTests.plainSide(&random, levels: 1 + Int(random.next() % 7)).utf8)
            let bytes = CanonicalTopReaderLevelsTests.mutatedAndPadded(plain, &random)
            CanonicalTopReaderDepthTests.expectAgreement(bytes, mustRead: false)
        }
    }

    @Test("best levels at the edges of the read shape (8 digits, signs, three decimals, 64 and 65 levels, a short body) agree")
    func edges() {
        let tail = #",{"price":1,"quantity":2,"orders":3}]"#
        let bests = ["1234567", "12345678", "-5", "0.5", "0.55", "0.555", "7.", "00", "1e2", "9999999.99"]
        for price in bests {
            for quantity in ["1", "1234567", "12345678", "-1", "1.5"] {
                for orders in ["1", "12345678", "123456789", "-1", ""] {
                    let side = #"{"price":\#(price),"quantity":\#(quantity),"orders":\#(orders)}"# + tail
                    CanonicalTopReaderDepthTests.expectAgreement(Array(side.utf8) + Array(repeating: 0x20, count: 200), mustRead: false)
                }
            }
        }
        var random = SplitMix64(seed: 5)
        for levels in [63, 64, 65] {
            let bytes = Array(CanonicalTopReaderDepthTests.plainSide(&random, levels: levels).utf8) + Array(repeating: 0x20, count: 200)
            CanonicalTopReaderDepthTests.expectAgreement(bytes, mustRead: levels <= 64)
            #expect((CanonicalTopReaderDepthTests.fast(bytes, 0) != nil) == (levels <= 64))
        }
        let short = Array(CanonicalTopReaderDepthTests.plainSide(&random, levels: 5).utf8)
        for padding in [0, 60, 127, 128, 200] {
            CanonicalTopReaderDepthTests.expectAgreement(short + Array(repeating: 0x20, count: padding), mustRead: false)
        }
    }

    @Test("both sides read together give each side's best level and end after the sell side's bracket")
    func bothSides() {
        var random = SplitMix64(seed: 8)
        for _ in 0..<300 {
            let buy = CanonicalTopReaderDepthTests.plainSide(&random, levels: Int(random.next() % 7))
            let sell = CanonicalTopReaderDepthTests.plainSide(&random, levels: Int(random.next() % 7))
            let text = buy + #","sell":["# + sell
            let bytes = Array(text.utf8) + Array(repeating: 0x20, count: 200)
            let read = bytes.withUnsafeBufferPointer { buffer -> [Int64]? in
                var position = 0
                guard let depth = CanonicalTopReader.depth(buffer.baseAddress!, &position, count: buffer.count) else { return nil }
                return [depth.bid, depth.bidQuantity, depth.ask, depth.askQuantity, Int64(position)]
            }
            let bid = CanonicalTopReaderDepthTests.reference(Array(buy.utf8) + Array(repeating: 0x20, count: 200), 0)
            let ask = CanonicalTopReaderDepthTests.reference(Array(sell.utf8) + Array(repeating: 0x20, count: 200), 0)
            let expected = bid.flatMap { bid in
                ask.map { [bid.price, bid.quantity, $0.price, $0.quantity, Int64(buy.utf8.count + 9 + $0.end)] }
            }
            #expect(read != nil && read == expected, "\(text)")
        }
    }
}
