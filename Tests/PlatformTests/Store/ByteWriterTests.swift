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

    @Test("the cursor printers putInteger and putRupees match the reference appenders and keep bytes past their end to scratch room",
          arguments: [4, 5, 6] as [UInt64])
    func cursorPrintersMatchReference(seed: UInt64) {
        var values: [Int64] = [0, 1, 5, 9, 10, 99, 100, 101, 99_999_999, 100_000_000, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        var random = SplitMix64(seed: seed)
        for _ in 0..<3000 { values.append(Int64(bitPattern: random.next()) >> Int64(random.next() % 63)) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        typealias Reference = (Int64, inout [UInt8]) -> Void
        typealias Printer = (Int64, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
        let pairs: [(String, Reference, Printer)] = [
            ("integer", { StoreCSV.appendInteger($0, to: &$1) }, { ByteWriter.putInteger($0, at: $1) }),
            ("rupees", { StoreCSV.appendRupees($0, to: &$1) }, { ByteWriter.putRupees($0, at: $1) }),
        ]
        for value in values {
            for (name, reference, printer) in pairs {
                var expected: [UInt8] = []
                reference(value, &expected)
                buffer.initialize(repeating: 0xAA, count: 64)
                let after = printer(value, buffer + 1)
                #expect(Array(UnsafeBufferPointer(start: buffer + 1, count: after - buffer - 1)) == expected, "\(name) \(value)")
                // Nothing before the cursor and nothing past the scratch room after the end is touched.
                #expect(buffer.pointee == 0xAA, "\(name) \(value) wrote before its start")
                let room = after - buffer + ByteWriter.overshoot
                #expect((room..<64).allSatisfy { buffer[$0] == 0xAA }, "\(name) \(value) wrote past its scratch room")
            }
        }
    }

    @Test("copy moves exactly the bytes asked for, whatever their count, and returns the cursor after them")
    func copyMovesExactBytes() {
        let source = (0..<80).map { UInt8($0) }
        let target = UnsafeMutablePointer<UInt8>.allocate(capacity: 128)
        defer { target.deallocate() }
        for count in 0...64 {
            target.initialize(repeating: 0xFF, count: 128)
            let end = source.withUnsafeBufferPointer { ByteWriter.copy($0.baseAddress!, count: count, to: target) }
            #expect(end - target == count)
            #expect(Array(UnsafeBufferPointer(start: target, count: count)) == Array(source.prefix(count)))
        }
    }

    @Test("the table printers putQuantity and putPrice match putInteger and putRupees: every value up to past the table, its edges, random values",
          arguments: [7, 8] as [UInt64])
    func tablePrintersMatchCursorPrinters(seed: UInt64) {
        var values: [Int64] = Array(-20...20_100) + [Int64.max, Int64.min, Int64.min + 1, -1_000_000]
        for edge: Int64 in [1_000, 10_000, 100_000, 1_000_000, 10_000_000] { values += Array(edge - 120...edge + 120) }
        var random = SplitMix64(seed: seed)
        for _ in 0..<20_000 { values.append(Int64(random.next(below: 2_000_000)) - 500_000) }
        for _ in 0..<2000 { values.append(Int64(bitPattern: random.next()) >> Int64(random.next() % 63)) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        let reference = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { reference.deallocate() }
        ByteWriter.smallTexts.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            typealias Printer = (Int64, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
            let pairs: [(String, Printer, Printer)] = [
                ("quantity", { ByteWriter.putInteger($0, at: $1) }, { ByteWriter.putQuantity($0, table: table, at: $1) }),
                ("price", { ByteWriter.putRupees($0, at: $1) }, { ByteWriter.putPrice($0, table: table, at: $1) }),
            ]
            for value in values {
                for (name, general, fast) in pairs {
                    let expected = Array(UnsafeBufferPointer(start: reference, count: general(value, reference) - reference))
                    buffer.initialize(repeating: 0xAA, count: 64)
                    let after = fast(value, buffer + 1)
                    #expect(Array(UnsafeBufferPointer(start: buffer + 1, count: after - buffer - 1)) == expected, "\(name) \(value)")
                    #expect(buffer.pointee == 0xAA, "\(name) \(value) wrote before its start")
                    let room = after - buffer + ByteWriter.overshoot
                    #expect((room..<64).allSatisfy { buffer[$0] == 0xAA }, "\(name) \(value) wrote past its scratch room")
                }
            }
        }
    }
}
