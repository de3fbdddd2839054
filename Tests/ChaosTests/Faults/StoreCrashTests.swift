import Platform
import Testing

@testable import Chaos

/// Snapshots for tests: `count` snapshots one second apart with `rows` contracts each.
func makeSnapshots(count: Int, rows: Int, seed: UInt64, index: String = "NIFTY") -> [ChainSnapshot] {
    var random = SplitMix64(seed: seed)
    let date = CivilDate(year: 2026, month: 11, day: 24)!
    let open = ISO8601.instant(date, hour: 9, minute: 15)
    let expiry = CivilDate(year: 2026, month: 12, day: 1)!
    return (0..<count).map { n in
        let at = open + .seconds(n)
        let quotes = (0..<rows).map { r -> QuoteRow in
            let strike = Int64(24_000 + 50 * (r / 2)) * 100
            let bid = Int64(random.next(below: 40_000)) * 5
            return QuoteRow(
                tradingsymbol: "NIFTY26D01\(strike / 100)\(r % 2 == 0 ? "CE" : "PE")", instrumentToken: UInt32(1000 + r),
                expiry: expiry, strikePaise: strike, optionType: r % 2 == 0 ? .call : .put, bidPaise: bid,
                askPaise: bid + 5 * Int64(1 + random.next(below: 4)), ltpPaise: bid, bidQuantity: 75,
                askQuantity: 150, volume: Int64(n * 75), openInterest: 1_000_000, exchangeTime: at - .milliseconds(300))
        }
        return ChainSnapshot(
            index: index, tradingDate: date, collectedAt: at, requestedAt: at - .milliseconds(40),
            underlyingPaise: 2_400_000 + Int64(n), rows: quotes)
    }
}

@Suite struct StoreCrashTests {
    static let path = "/data/2026-11-24/NIFTY.csv"

    /// Writes `snapshots` from the start, crashing at operation `crashAt`; then restarts, recovers and
    /// finishes by retrying the snapshot in flight. Returns the file's final bytes and the reports.
    func runWithCrash(_ snapshots: [ChainSnapshot], crashAt: Int?, seed: UInt64, syncEvery: Int)
        throws -> (bytes: [UInt8], recovered: [UInt8], report: [FileRecovery])
    {
        var disk = SimulatedDisk()
        disk.crashAtOperation = crashAt
        var store = SnapshotStore(directory: "/data", fileSystem: disk, syncEverySnapshots: syncEvery)
        var next = 0
        do {
            _ = try store.open()
            while next < snapshots.count {
                _ = try store.write(snapshots[next])
                next += 1
            }
            try store.syncAll()
        } catch {
            // A crash kills the process here; only the disk survives. Any other error fails the test.
            guard case .fileSystem(.crashed) = error else { throw error }
        }
        disk = store.fileSystem
        var report: [FileRecovery] = []
        var recovered: [UInt8] = []
        if disk.crashed {
            disk.restart(seed: seed)
            store = SnapshotStore(directory: "/data", fileSystem: disk, syncEverySnapshots: syncEvery)
            report = try store.open()
            recovered = try store.fileSystem.readAll(Self.path) ?? []
            // Resume as a collector does: from the last snapshot the store holds (it may be partial).
            let stored = store.snapshotTimes(index: "NIFTY", date: snapshots[0].tradingDate)
            let resume = stored.last.map { last in snapshots.firstIndex { $0.collectedAt >= last }! } ?? 0
            #expect(resume <= next, "the store holds a snapshot that was never written")
            for snapshot in snapshots[resume...] { _ = try store.write(snapshot) }
            try store.syncAll()
        }
        return (try store.fileSystem.readAll(Self.path) ?? [], recovered, report)
    }

    @Test("a crash at every write and fsync boundary recovers to a prefix of the clean run, then completes it exactly",
          arguments: [1, 3] as [Int])
    func crashEverywhere(syncEvery: Int) throws {
        let snapshots = makeSnapshots(count: 6, rows: 5, seed: 7)
        let clean = try runWithCrash(snapshots, crashAt: nil, seed: 0, syncEvery: syncEvery).bytes
        var disk = SimulatedDisk()
        var store = SnapshotStore(directory: "/data", fileSystem: disk, syncEverySnapshots: syncEvery)
        _ = try store.open()
        for snapshot in snapshots { _ = try store.write(snapshot) }
        try store.syncAll()
        disk = store.fileSystem
        let operations = disk.operations
        #expect(operations > 6)
        for crashAt in 1...operations {
            for seed in 0..<4 as Range<UInt64> {
                let run = try runWithCrash(snapshots, crashAt: crashAt, seed: seed, syncEvery: syncEvery)
                let isPrefix = clean.starts(with: run.recovered)
                let endsCleanly = run.recovered.last == 0x0A || run.recovered.isEmpty
                let completesExactly = run.bytes == clean
                #expect(isPrefix, "crash at op \(crashAt) seed \(seed): recovered file is not a prefix")
                #expect(endsCleanly, "crash at op \(crashAt) seed \(seed): torn line survived recovery")
                #expect(completesExactly, "crash at op \(crashAt) seed \(seed): completed file differs from the clean run")
            }
        }
    }

    @Test("a torn last line is cut and reported with its size")
    func tornLineReported() throws {
        let snapshots = makeSnapshots(count: 3, rows: 4, seed: 1)
        var disk = SimulatedDisk()
        var store = SnapshotStore(directory: "/data", fileSystem: disk)
        _ = try store.open()
        for snapshot in snapshots { _ = try store.write(snapshot) }
        disk = store.fileSystem
        try disk.append(Self.path, Array("2026-11-24T09:15:03+05:30,2026-11-2".utf8))
        try disk.sync(Self.path)
        disk.restart(seed: 0)
        store = SnapshotStore(directory: "/data", fileSystem: disk)
        let report = try store.open()
        #expect(report.count == 1)
        #expect(report.first?.cutBytes == 35)
        #expect(report.first?.rows == 12)
        #expect(report.first?.snapshots == 3)
        #expect(report.first?.cutPreview.hasPrefix("2026-11-24T09:15:03") == true)
    }

    @Test("rewriting every snapshot after recovery stores nothing twice")
    func retriesAreIdempotent() throws {
        let snapshots = makeSnapshots(count: 5, rows: 6, seed: 3)
        var store = SnapshotStore(directory: "/data", fileSystem: SimulatedDisk())
        _ = try store.open()
        for snapshot in snapshots { _ = try store.write(snapshot) }
        let before = try store.fileSystem.readAll(Self.path)
        let again = try store.write(snapshots[4])
        #expect(again.rowsWritten == 0 && again.rowsAlreadyStored == 6)
        let older = try store.write(snapshots[1])
        #expect(older.rowsOutOfOrder == 6)
        let after = try store.fileSystem.readAll(Self.path)
        #expect(after == before, "the file changed")
    }

    @Test("a second writer on the same directory fails fast with a clear message")
    func lockIsExclusive() throws {
        var store = SnapshotStore(directory: "/data", fileSystem: SimulatedDisk())
        _ = try store.open()
        var second = SnapshotStore(directory: "/data", fileSystem: store.fileSystem)
        #expect(throws: StoreError.fileSystem(.locked(path: "/data", holder: "another simulated writer"))) {
            _ = try second.open()
        }
    }

    @Test("a full disk fails the write with ENOSPC and loses nothing already stored")
    func diskFull() throws {
        let snapshots = makeSnapshots(count: 4, rows: 10, seed: 5)
        var disk = SimulatedDisk()
        disk.capacityBytes = 3_000
        var store = SnapshotStore(directory: "/data", fileSystem: disk)
        _ = try store.open()
        var stored = 0
        do {
            for snapshot in snapshots {
                _ = try store.write(snapshot)
                stored += 1
            }
            Issue.record("expected the disk to fill")
        } catch {
            #expect(error == .fileSystem(.noSpace(path: Self.path)))
        }
        #expect(stored >= 1)
        let rows = try store.range(index: "NIFTY", date: snapshots[0].tradingDate, from: .epoch, to: snapshots[3].collectedAt)
        #expect(rows.count == stored * 10)
    }

    @Test("queries return exactly the stored rows: latest, and a time range with whole-snapshot pages")
    func queries() throws {
        let snapshots = makeSnapshots(count: 10, rows: 8, seed: 9)
        var store = SnapshotStore(directory: "/data", fileSystem: SimulatedDisk())
        _ = try store.open()
        for snapshot in snapshots { _ = try store.write(snapshot) }
        let date = snapshots[0].tradingDate
        let latest = try store.latest(index: "NIFTY", date: date)
        #expect(latest.map(\.quote) == snapshots[9].rows)
        #expect(latest.allSatisfy { $0.collectedAt == snapshots[9].collectedAt && $0.underlyingPaise == snapshots[9].underlyingPaise })
        let middle = try store.range(index: "NIFTY", date: date, from: snapshots[3].collectedAt, to: snapshots[6].collectedAt)
        #expect(middle.map(\.quote) == snapshots[3...6].flatMap(\.rows))
        let page = try store.range(index: "NIFTY", date: date, from: .epoch, to: snapshots[9].collectedAt, limit: 20)
        #expect(page.count == 16)  // two whole snapshots; a third would exceed the limit
        #expect(store.snapshotTimes(index: "NIFTY", date: date) == snapshots.map(\.collectedAt))
        #expect(try store.latest(index: "BANKNIFTY", date: date).isEmpty)
    }
}
