import Chaos
import Foundation
import Platform

/// Store throughput: rows per second to the simulated disk and to a real file with fsync per snapshot.
///
/// Baseline, measured in the same run: the bytes-per-second of appending the same encoded rows to
/// the same file system with no store logic (encode once, append), so the ratio shows the store's cost.
enum StoreBenchmark {
    static func snapshots(count: Int, rows: Int) -> [ChainSnapshot] {
        var random = SplitMix64(seed: 1)
        let date = CivilDate(year: 2026, month: 11, day: 24)!
        let open = ISO8601.instant(date, hour: 9, minute: 15)
        let expiry = CivilDate(year: 2026, month: 12, day: 1)!
        let symbols = (0..<rows).map { "NIFTY26D01\(24_000 + 50 * ($0 / 2))\($0 % 2 == 0 ? "CE" : "PE")" }
        return (0..<count).map { n in
            let at = open + .seconds(n)
            let quotes = (0..<rows).map { r -> QuoteRow in
                let bid = Int64(random.next(below: 40_000)) * 5
                return QuoteRow(
                    tradingsymbol: symbols[r], instrumentToken: UInt32(10_000 + r), expiry: expiry,
                    strikePaise: Int64(24_000 + 50 * (r / 2)) * 100, optionType: r % 2 == 0 ? .call : .put,
                    bidPaise: bid, askPaise: bid + 10, ltpPaise: bid + 5, bidQuantity: 75, askQuantity: 150,
                    volume: Int64(n * 750), openInterest: 1_250_000, exchangeTime: at - .milliseconds(250))
            }
            return ChainSnapshot(
                index: "NIFTY", tradingDate: date, collectedAt: at, requestedAt: at - .milliseconds(30),
                underlyingPaise: 2_400_000, rows: quotes)
        }
    }

    static func run(arguments: [String]) -> String {
        let count = 300
        let rows = 1000
        let data = snapshots(count: count, rows: rows)
        let clock = ContinuousClock()

        var simulated = SnapshotStore(directory: "/bench", fileSystem: SimulatedDisk())
        _ = try? simulated.open()
        let simulatedTime = clock.measure { for s in data { _ = try? simulated.write(s) } }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-bench-store-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var live = SnapshotStore(directory: directory, fileSystem: PosixFileSystem(), syncEverySnapshots: 1)
        _ = try? live.open()
        let liveTime = clock.measure { for s in data { _ = try? live.write(s) } }

        // Baseline: pre-encoded bytes appended and fsynced per snapshot, no store logic.
        var encoded: [[UInt8]] = []
        for s in data {
            var bytes: [UInt8] = []
            StoreCSV.encode(s, into: &bytes)
            encoded.append(bytes)
        }
        let raw = PosixFileSystem()
        let rawPath = directory + "/raw.csv"
        let rawTime = clock.measure {
            for bytes in encoded {
                try? raw.append(rawPath, bytes)
                try? raw.sync(rawPath)
            }
        }
        let total = Double(count * rows)
        func perSecond(_ d: Duration) -> Double { total / (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18) }
        return """
            {"benchmark":"store","snapshots":\(count),"rows_per_snapshot":\(rows),\
            "simulated_rows_per_second":\(Int(perSecond(simulatedTime))),\
            "posix_fsync_per_snapshot_rows_per_second":\(Int(perSecond(liveTime))),\
            "baseline_raw_append_fsync_rows_per_second":\(Int(perSecond(rawTime))),\
            "posix_store_over_raw_baseline":\(Double(Int(perSecond(liveTime) / perSecond(rawTime) * 1000)) / 1000)}
            """
    }
}
