import Testing

@testable import Platform

/// The store's raw row writer must print integers and rupees exactly as the reference appenders do.
@Suite struct ByteWriterTests {
    static func written(_ body: (inout ByteWriter) -> Void) -> [UInt8] {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        var writer = ByteWriter(base: buffer)
        body(&writer)
        return Array(UnsafeBufferPointer(start: buffer, count: writer.count))
    }

    @Test("integer and rupees match StoreCSV.appendInteger and appendRupees for edge and random values",
          arguments: [1, 2, 3] as [UInt64])
    func numbersMatchReference(seed: UInt64) {
        var values: [Int64] = [0, 1, 9, 10, 99, 100, 101, Int64.max, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        var random = SplitMix64(seed: seed)
        for _ in 0..<2000 { values.append(Int64(bitPattern: random.next()) >> Int64(random.next() % 63)) }
        for value in values {
            var integer: [UInt8] = []
            StoreCSV.appendInteger(value, to: &integer)
            #expect(ByteWriterTests.written { $0.integer(value) } == integer, "integer \(value)")
            var rupees: [UInt8] = []
            StoreCSV.appendRupees(value, to: &rupees)
            #expect(ByteWriterTests.written { $0.rupees(value) } == rupees, "rupees \(value)")
        }
    }
}
