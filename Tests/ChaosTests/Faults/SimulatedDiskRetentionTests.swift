import Platform
import Testing

@testable import Chaos

/// A disk that keeps sizes only behaves, operation by operation, as one that keeps every byte —
/// except that it cannot give a byte back — and a scenario run stores the same way on either.
@Suite struct SimulatedDiskRetentionTests {
    /// The outcome of one operation, compared across the two disks.
    enum Outcome: Equatable {
        case done
        case failed(FileSystemError)
        case unexpected(String)
    }

    static func outcome(_ operation: () throws -> Void) -> Outcome {
        do {
            try operation()
            return .done
        } catch let error as FileSystemError {
            return .failed(error)
        } catch {
            return .unexpected("\(error)")
        }
    }

    @Test("appends, syncs, truncates, armed crashes, restarts and a capacity give the same outcomes and sizes on a disk keeping sizes only as on one keeping everything, over 60 seeds; only reads of bytes fail, naming the path")
    func sizesOnlyMatchesEverything() throws {
        let paths = ["/d/a.csv", "/d/b.csv"]
        for seed in UInt64(1)...60 {
            var random = SplitMix64(seed: seed)
            var kept = SimulatedDisk(memoryLimitBytes: 64)
            var counted = SimulatedDisk(retention: .sizesOnly)
            #expect(counted.retention == .sizesOnly)
            if seed % 3 == 0 {
                kept.capacityBytes = 500
                counted.capacityBytes = 500
            }
            for step in 0..<150 {
                let path = paths[Int(random.next(below: 2))]
                let context = "seed \(seed) step \(step)"
                switch random.next(below: 12) {
                case 0...4:
                    let bytes = (0..<Int(random.next(below: 40))).map { _ in UInt8(truncatingIfNeeded: random.next(below: 256)) }
                    if random.next(below: 2) == 0 {
                        #expect(Self.outcome { try kept.append(path, bytes) } == Self.outcome { try counted.append(path, bytes) }, "\(context)")
                    } else {
                        var scratch: [UInt8] = []
                        let room = bytes.count + Int(random.next(below: 20))
                        let write = { (base: UnsafeMutablePointer<UInt8>) -> Int in
                            base.update(from: bytes, count: bytes.count)
                            return bytes.count
                        }
                        let first = Self.outcome { try kept.append(path, capacity: room, scratch: &scratch, writing: write) }
                        let second = Self.outcome { try counted.append(path, capacity: room, scratch: &scratch, writing: write) }
                        #expect(first == second, "\(context)")
                    }
                case 5, 6:
                    #expect(Self.outcome { try kept.sync(path) } == Self.outcome { try counted.sync(path) }, "\(context)")
                case 7:
                    let length = Int(random.next(below: 100))
                    #expect(Self.outcome { try kept.truncate(path, to: length) } == Self.outcome { try counted.truncate(path, to: length) },
                            "\(context)")
                case 8:
                    // Arms a crash a few operations ahead on both.
                    let at = kept.operations + 1 + Int(random.next(below: 5))
                    kept.crashAtOperation = at
                    counted.crashAtOperation = at
                case 9:
                    kept.restart(seed: seed &+ UInt64(step))
                    counted.restart(seed: seed &+ UInt64(step))
                default:
                    let offset = Int(random.next(below: 60))
                    let length = Int(random.next(below: 30))
                    let full = Result { () throws(FileSystemError) -> [UInt8] in try kept.read(path, offset: offset, length: length) }
                    let none = Result { () throws(FileSystemError) -> [UInt8] in try counted.read(path, offset: offset, length: length) }
                    switch (full, none) {
                    case (.success(let bytes), .success(let nothing)):
                        // Only an empty range reads on a disk that keeps no bytes.
                        #expect(bytes.isEmpty && nothing.isEmpty, "\(context)")
                    case (.success, .failure(let error)):
                        guard case .io(let failedPath, let reason) = error else {
                            Issue.record("\(context): \(error)")
                            continue
                        }
                        #expect(failedPath == path && reason.contains("keeps no stored bytes"), "\(context)")
                    case (.failure(let expected), .failure(let error)):
                        #expect(expected == error, "\(context)")
                    case (.failure(let expected), .success):
                        Issue.record("\(context): read succeeded where the full disk failed with \(expected)")
                    }
                }
                #expect(kept.operations == counted.operations && kept.crashed == counted.crashed, "\(context)")
                if !kept.crashed {
                    for name in paths {
                        #expect(try kept.size(of: name) == counted.size(of: name), "\(context) \(name)")
                    }
                }
            }
        }
    }

    @Test("a scenario run logs the same bytes (digest) whether its collector's disk keeps every byte or sizes only")
    func runIsTheSameOnEitherRetention() throws {
        let scenario = try ScenarioDecoder.decode(Array(#"""
            {"schema_version": 1, "name": "retention", "seed": 11, "session": {"date": "2026-11-25", "start": "09:15", "end": "09:16"},
             "indices": ["NIFTY", "BANKNIFTY"], "collector": {"strikes_each_side": 6, "buckets": ["current_week", "current_month"]}}
            """#.utf8), file: "retention")
        func digest(_ retention: SimulatedDisk.Retention) -> (String, Int) {
            var world = World(start: scenario.start, end: scenario.end,
                              components: ScenarioRun.components(for: scenario, seed: scenario.seed, retention: retention),
                              log: EventLog(checkers: InvariantCatalog.platform))
            let outcome = world.run()
            let rows = (world.component(named: "collector") as? CollectorComponent)?.rowsStored ?? 0
            return (outcome.digest.hexString, rows)
        }
        let everything = digest(.everything(memoryLimitBytes: 1 << 10))
        let sizesOnly = digest(.sizesOnly)
        #expect(everything.1 > 1_000)
        #expect(everything == sizesOnly)
    }

    @Test("a run keeps stored bytes exactly when it exports files or API clients read the store")
    func bytesKeptWhenRead() throws {
        let quiet = Scenario.builtInDefault
        #expect(!ScenarioRun.storedBytesRead(quiet, exportFiles: false))
        #expect(ScenarioRun.storedBytesRead(quiet, exportFiles: true))
        let loaded = try ScenarioDecoder.decode(Array(#"""
            {"schema_version": 1, "name": "loaded", "seed": 3, "session": {"date": "2026-11-25", "start": "11:00", "end": "11:01"},
             "indices": ["NIFTY"], "collector": {"strikes_each_side": 2, "buckets": ["current_week"]},
             "load": {"clients": 1, "requests_per_second": 1}}
            """#.utf8), file: "loaded")
        #expect(loaded.load != nil)
        #expect(ScenarioRun.storedBytesRead(loaded, exportFiles: false))
    }
}
