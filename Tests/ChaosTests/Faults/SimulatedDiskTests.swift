import Platform
import Testing

@testable import Chaos

/// The simulated disk against a plain model of it (durable and volatile byte arrays per file), with
/// durable bytes spilling to the temporary file after a few bytes so both storage paths are covered.
@Suite struct SimulatedDiskTests {
    /// What the disk must behave like: every file as two arrays.
    struct Model {
        var durable: [String: [UInt8]] = [:]
        var volatile: [String: [UInt8]] = [:]

        func contents(_ path: String) -> [UInt8]? {
            guard durable[path] != nil || volatile[path] != nil else { return nil }
            return (durable[path] ?? []) + (volatile[path] ?? [])
        }
    }

    /// Where the log keeps bytes: in memory up to `memoryLimit`, in chunks of `chunk`, spilled in batches of `batch`.
    struct Layout: Sendable, CustomTestStringConvertible {
        var memoryLimit: Int
        var chunk: Int
        var batch: Int
        var testDescription: String { "memory \(memoryLimit), chunk \(chunk), batch \(batch)" }
    }

    static let layouts: [Layout] = [
        Layout(memoryLimit: 0, chunk: 1 << 20, batch: 1 << 20), Layout(memoryLimit: 7, chunk: 1 << 20, batch: 1 << 20),
        Layout(memoryLimit: 1 << 20, chunk: 1 << 20, batch: 1 << 20), Layout(memoryLimit: 0, chunk: 1, batch: 1),
        Layout(memoryLimit: 0, chunk: 5, batch: 33), Layout(memoryLimit: 301, chunk: 13, batch: 50),
        Layout(memoryLimit: 900, chunk: 64, batch: 17), Layout(memoryLimit: 1 << 20, chunk: 3, batch: 1),
    ]

    @Test("appends (copied or written in place), syncs, truncates, reads and restarts agree with the model over 60 seeds, in memory chunks and spilled batches of any size",
          arguments: SimulatedDiskTests.layouts)
    func agreesWithModel(layout: Layout) throws {
        let (memoryLimit, chunk, batch) = (layout.memoryLimit, layout.chunk, layout.batch)
        let paths = ["/d/a.csv", "/d/b.csv", "/d/c.csv"]
        for seed in UInt64(1)...60 {
            var random = SplitMix64(seed: seed)
            var disk = SimulatedDisk(memoryLimitBytes: memoryLimit, chunkBytes: chunk, spillBatchBytes: batch)
            var model = Model()
            for step in 0..<200 {
                let path = paths[Int(random.next(below: 3))]
                switch random.next(below: 10) {
                case 0...4:
                    let bytes = (0..<Int(random.next(below: 40))).map { _ in UInt8(truncatingIfNeeded: random.next(below: 256)) }
                    if random.next(below: 2) == 0 {
                        try disk.append(path, bytes)
                    } else {
                        // Written in place, into room as large as the bytes or larger (as the store's encoder
                        // asks), the whole room first filled with junk the way an encoder's wide stores do.
                        var scratch: [UInt8] = []
                        let room = bytes.count + (random.next(below: 4) == 0 ? 0 : Int(random.next(below: 50)))
                        let junk = UInt8(truncatingIfNeeded: random.next(below: 256))
                        try disk.append(path, capacity: room, scratch: &scratch) { base in
                            base.update(repeating: junk, count: room)
                            base.update(from: bytes, count: bytes.count)
                            return bytes.count
                        }
                    }
                    model.volatile[path, default: []].append(contentsOf: bytes)
                case 5, 6:
                    guard model.contents(path) != nil else { continue }
                    try disk.sync(path)
                    model.durable[path, default: []].append(contentsOf: model.volatile[path] ?? [])
                    model.volatile[path] = []
                case 7:
                    guard let all = model.contents(path) else { continue }
                    let length = Int(random.next(below: UInt64(all.count + 1)))
                    try disk.truncate(path, to: length)
                    model.durable[path] = Array(all.prefix(length))
                    model.volatile[path] = []
                case 8:
                    // A restart keeps a seeded prefix of unsynced bytes; learn it from the disk's size.
                    disk.restart(seed: seed &+ UInt64(step))
                    for name in paths {
                        guard let all = model.contents(name) else { continue }
                        let size = try #require(try disk.size(of: name))
                        #expect(size >= (model.durable[name] ?? []).count && size <= all.count)
                        model.durable[name] = Array(all.prefix(size))
                        model.volatile[name] = []
                    }
                default:
                    guard let all = model.contents(path) else { continue }
                    let offset = Int(random.next(below: UInt64(all.count + 2)))
                    let length = Int(random.next(below: 64))
                    let expected = Array(all.dropFirst(offset).prefix(length))
                    #expect(try disk.read(path, offset: offset, length: length) == expected, "seed \(seed) step \(step)")
                }
            }
            for path in paths {
                #expect(try disk.readAll(path) == model.contents(path), "seed \(seed) \(path)")
            }
        }
    }

    @Test("an empty in-place append after the log has spilled writes nothing and keeps the file")
    func emptyInPlaceAppendAfterSpill() throws {
        var disk = SimulatedDisk(memoryLimitBytes: 0, chunkBytes: 1, spillBatchBytes: 1)
        try disk.append("/f", [1, 2, 3])
        var scratch: [UInt8] = []
        try disk.append("/f", capacity: 0, scratch: &scratch) { _ in 0 }
        try disk.append("/f", capacity: 2, scratch: &scratch) { base in
            base[0] = 4
            base[1] = 5
            return 2
        }
        try disk.sync("/f")
        #expect(try disk.readAll("/f") == [1, 2, 3, 4, 5])
    }

    @Test("a copy of a disk keeps its own files when the original goes on writing to the shared spill")
    func copiesStayIndependent() throws {
        var disk = SimulatedDisk(memoryLimitBytes: 0)
        try disk.append("/f", Array("first\n".utf8))
        try disk.sync("/f")
        var copy = disk
        try disk.append("/f", Array("second\n".utf8))
        try disk.sync("/f")
        try disk.truncate("/f", to: 3)
        #expect(try copy.readAll("/f") == Array("first\n".utf8))
        #expect(try disk.readAll("/f") == Array("fir".utf8))
    }

    @Test("a disk with a capacity stages in-place appends and refuses one that does not fit, writing nothing")
    func inPlaceAppendRespectsCapacity() throws {
        var disk = SimulatedDisk()
        disk.capacityBytes = 10
        var scratch: [UInt8] = []
        try disk.append("/f", capacity: 64, scratch: &scratch) { base in
            base.update(from: Array("abcdef".utf8), count: 6)
            return 6
        }
        #expect(throws: FileSystemError.noSpace(path: "/f")) {
            try disk.append("/f", capacity: 64, scratch: &scratch) { base in
                base.update(from: Array("ghijk".utf8), count: 5)
                return 5
            }
        }
        #expect(try disk.readAll("/f") == Array("abcdef".utf8))
    }

    @Test("a store on the disk leaves each file exactly the header and StoreCSV.encode's bytes of every snapshot, in memory or spilled",
          arguments: [0, 1 << 20] as [Int])
    func storeBytesMatchReference(memoryLimit: Int) throws {
        var random = SplitMix64(seed: 7 &+ UInt64(memoryLimit))
        var store = SnapshotStore(
            directory: "/data", fileSystem: SimulatedDisk(memoryLimitBytes: memoryLimit, chunkBytes: 4096, spillBatchBytes: 1000))
        _ = try store.open()
        let date = CivilDate(year: 2026, month: 11, day: 24)!
        var at = ISO8601.instant(date, hour: 9, minute: 15)
        var expected: [String: [UInt8]] = [:]
        for _ in 0..<90 {
            for index in ["NIFTY", "BANKNIFTY"] {
                // Few distinct prices, volumes and OIs, so numbers repeat by position as they do in a session.
                var rows: [QuoteRow] = []
                for n in 0..<Int(random.next(below: 40)) {
                    let symbol = "\(index)26D01\(20_000 + n * 50)" + (n % 2 == 0 ? "CE" : "PE")
                    let strike = Int64(2_000_000 + n / 2 * 5_000)
                    let exchange: Instant = at - .seconds(Int64(random.next(below: 2)))
                    var row = QuoteRow(
                        tradingsymbol: symbol, instrumentToken: UInt32(1_000 + n), expiry: date.adding(days: 7), strikePaise: strike,
                        optionType: n % 2 == 0 ? .call : .put, bidPaise: 0, askPaise: 0, ltpPaise: 0, bidQuantity: 0,
                        askQuantity: 0, volume: 0, openInterest: 0, exchangeTime: exchange)
                    row.bidPaise = Int64(random.next(below: 100_000))
                    row.askPaise = Int64(random.next(below: 100_000))
                    row.ltpPaise = Int64(random.next(below: 3)) * 1_005
                    row.bidQuantity = Int64(random.next(below: 5_000))
                    row.askQuantity = Int64(random.next(below: 5_000))
                    row.volume = Int64(random.next(below: 2)) * 1_234_567
                    row.openInterest = Int64(random.next(below: 2)) * 75
                    rows.append(row)
                }
                let snapshot = ChainSnapshot(index: index, tradingDate: date, collectedAt: at, requestedAt: at - .milliseconds(40),
                                             underlyingPaise: 2_400_000 + Int64(random.next(below: 10_000)), rows: rows)
                _ = try store.write(snapshot)
                let path = StoreCSV.path(directory: "/data", date: date, index: index)
                if expected[path] == nil { expected[path] = StoreCSV.headerLine }
                StoreCSV.encode(snapshot, into: &expected[path, default: []])
            }
            at = at + .seconds(1)
        }
        for (path, bytes) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(try store.fileSystem.readAll(path) == bytes, "\(path)")
        }
    }
}
