import MarketSim
import Platform

/// An in-memory file system with crash semantics, for simulation and crash tests.
///
/// How this works: each file holds durable bytes (synced) and volatile bytes (appended since the
/// last sync, as in a page cache); both are extents of one append-only `DurableLog`, so a sync
/// copies nothing. Reads see both. `crashAtOperation` arms a crash: the N-th
/// mutating operation (append, sync, truncate; counted from 1) is applied to the volatile state and
/// then throws `.crashed`, as do all later calls. `restart(seed:)` models the machine coming back:
/// each file keeps its durable bytes plus a seeded random prefix of its volatile bytes (possibly a
/// torn line), and locks are released. `capacityBytes` makes appends beyond it fail with ENOSPC.
/// `retention` says whether the bytes themselves are kept (readable) or only counted.
public struct SimulatedDisk: FileSystem, Sendable {
    /// A file: durable extents in the shared log, then volatile ones (the page cache). Every byte
    /// goes to the log when it is appended; a sync only moves extents from volatile to durable,
    /// and a crash forgets volatile extents (their bytes stay in the log, unreferenced).
    struct File {
        var durable: [DurableLog.Extent] = []
        var durableCount = 0
        var volatile: [DurableLog.Extent] = []
        var volatileCount = 0
        var count: Int { durableCount + volatileCount }

        /// Adds `extent` after the volatile bytes.
        mutating func appendVolatile(_ extent: DurableLog.Extent) {
            guard extent.count > 0 else { return }
            File.add(extent, to: &volatile)
            volatileCount += extent.count
        }

        /// Makes the first `length` volatile bytes durable and forgets the rest.
        mutating func commitVolatile(prefix length: Int) {
            var left = length
            for extent in volatile where left > 0 {
                let take = min(extent.count, left)
                File.add(DurableLog.Extent(start: extent.start, count: take), to: &durable)
                durableCount += take
                left -= take
            }
            volatile.removeAll(keepingCapacity: true)
            volatileCount = 0
        }

        /// Appends `extent` to `list`, extending the last one when they are contiguous in the log
        /// (one extent per file while it is the only writer).
        static func add(_ extent: DurableLog.Extent, to list: inout [DurableLog.Extent]) {
            if let last = list.last, last.start + last.count == extent.start {
                list[list.count - 1].count += extent.count
            } else {
                list.append(extent)
            }
        }

        /// Appends the bytes in `start..<end` (file offsets) to `out`.
        func read(_ start: Int, _ end: Int, from log: DurableLog, into out: inout [UInt8]) {
            // The two lists in turn (not `durable + volatile`, which would copy every extent per read).
            var position = 0
            for list in [durable, volatile] {
                for extent in list {
                    let extentEnd = position + extent.count
                    if extentEnd > start && position < end {
                        let from = max(start, position), to = min(end, extentEnd)
                        log.read(DurableLog.Extent(start: extent.start + from - position, count: to - from), into: &out)
                    }
                    position = extentEnd
                    if position >= end { return }
                }
            }
        }

        /// Keeps only the first `length` durable bytes (and no volatile ones).
        mutating func cutDurable(to length: Int) {
            var kept: [DurableLog.Extent] = []
            var position = 0
            for extent in durable where position < length {
                let take = min(extent.count, length - position)
                kept.append(DurableLog.Extent(start: extent.start, count: take))
                position += take
            }
            durable = kept
            durableCount = position
            volatile = []
            volatileCount = 0
        }
    }

    /// Where durable bytes live; shared by copies of this disk (append-only, so sharing is safe).
    private let log: DurableLog

    private var files: [String: File] = [:]
    private var directories: Set<String> = []
    private var locks: Set<String> = []
    /// Mutating operations performed so far.
    public private(set) var operations = 0
    /// The operation number at which the machine crashes, if armed.
    public var crashAtOperation: Int?
    /// Total bytes the disk holds before appends fail with ENOSPC; nil for unlimited.
    public var capacityBytes: Int?
    public private(set) var crashed = false

    /// Durable bytes kept in memory before the disk spills them to a temporary file (64 MiB).
    public static let defaultMemoryLimitBytes = 64 << 20

    /// What a disk keeps of the bytes written to it.
    public enum Retention: Sendable, Equatable {
        /// Every byte, readable until the disk goes away: the first `memoryLimitBytes` in memory,
        /// the rest in an unlinked temporary file.
        case everything(memoryLimitBytes: Int)
        /// No byte. Appends, syncs, truncates, sizes, crashes and restarts behave exactly as with
        /// `everything` (the same operations, counts and crash points), but each append's bytes are
        /// forgotten as they land, so reading any byte back fails with `FileSystemError.io`. For runs
        /// that never read what they store: a whole session's CSV (about 2 GB) then costs no memory
        /// and no writes to a temporary file.
        case sizesOnly
    }

    /// What this disk keeps of the bytes written to it.
    public let retention: Retention

    /// An empty disk; durable bytes beyond `memoryLimitBytes` spill to a temporary file.
    public init(memoryLimitBytes: Int = SimulatedDisk.defaultMemoryLimitBytes) {
        self.init(retention: .everything(memoryLimitBytes: memoryLimitBytes))
    }

    /// An empty disk keeping what `retention` says.
    public init(retention: Retention) {
        self.retention = retention
        switch retention {
        case .everything(let memoryLimitBytes): log = DurableLog(memoryLimit: memoryLimitBytes)
        case .sizesOnly: log = DurableLog(memoryLimit: 0, keepsBytes: false)
        }
    }

    /// A disk whose log uses small in-memory chunks and spill batches (bytes), for tests.
    init(memoryLimitBytes: Int, chunkBytes: Int, spillBatchBytes: Int) {
        retention = .everything(memoryLimitBytes: memoryLimitBytes)
        log = DurableLog(memoryLimit: memoryLimitBytes, chunkSize: chunkBytes, spillBatch: spillBatchBytes)
    }

    /// Bytes held across all files, kept as a running total so appends stay O(1).
    private var usedBytes = 0

    /// Counts a mutating operation and reports whether it is the one that crashes.
    private mutating func tick(_ path: String) throws(FileSystemError) -> Bool {
        guard !crashed else { throw .crashed(path: path) }
        operations += 1
        if let crashAt = crashAtOperation, operations >= crashAt {
            crashed = true
            return true
        }
        return false
    }

    public func size(of path: String) throws(FileSystemError) -> Int? {
        guard !crashed else { throw .crashed(path: path) }
        return files[path]?.count
    }

    public func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        guard !crashed else { throw .crashed(path: path) }
        guard let file = files[path] else { throw .notFound(path: path) }
        let start = min(max(offset, 0), file.count)
        let end = min(file.count, start + max(length, 0))
        guard start == end || log.keepsBytes else {
            throw .io(path: path, reason: "this simulated disk keeps no stored bytes (retention sizesOnly), so they cannot be read back; "
                + "runs that export files (--out) or serve the API keep them")
        }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        if start < end { file.read(start, end, from: log, into: &out) }
        return out
    }

    public mutating func append(_ path: String, _ bytes: [UInt8]) throws(FileSystemError) {
        try appendBytes(path, bytes)
    }

    public mutating func append(_ path: String, contentsOf bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        try appendBytes(path, bytes)
    }

    private mutating func appendBytes<C: Collection>(_ path: String, _ bytes: C) throws(FileSystemError)
    where C.Element == UInt8 {
        let crashes = try tick(path)
        if let capacity = capacityBytes, usedBytes + bytes.count > capacity {
            if crashes { throw .crashed(path: path) }
            throw .noSpace(path: path)
        }
        files[path, default: File()].appendVolatile(log.append(bytes))
        usedBytes += bytes.count
        if crashes { throw .crashed(path: path) }
    }

    /// Encodes straight into the log (in memory or the spill batch): nothing is staged or copied.
    /// With `capacityBytes` set, the bytes are staged first, as the size check needs their count.
    public mutating func append(
        _ path: String, capacity: Int, scratch: inout [UInt8], writing write: (UnsafeMutablePointer<UInt8>) -> Int
    ) throws(FileSystemError) {
        guard capacityBytes == nil else { return try stagedAppend(path, capacity: capacity, scratch: &scratch, writing: write) }
        let crashes = try tick(path)
        let extent = log.append(capacity: capacity, write)
        files[path, default: File()].appendVolatile(extent)
        usedBytes += extent.count
        if crashes { throw .crashed(path: path) }
    }

    public mutating func sync(_ path: String) throws(FileSystemError) {
        let crashes = try tick(path)
        if crashes { throw .crashed(path: path) }  // the crash hits before the sync completes
        guard let volatileCount = files[path]?.volatileCount else { throw .notFound(path: path) }
        // Mutate in place: copying the file out would copy its whole durable history per sync.
        files[path]!.commitVolatile(prefix: volatileCount)
    }

    public mutating func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        let crashes = try tick(path)
        if crashes { throw .crashed(path: path) }
        guard let file = files[path] else { throw .notFound(path: path) }
        usedBytes -= file.count - min(file.count, length)
        var cut = file
        if length <= file.durableCount {
            cut.cutDurable(to: length)
        } else {
            cut.commitVolatile(prefix: length - file.durableCount)
        }
        files[path] = cut
    }

    public mutating func createDirectory(_ path: String) throws(FileSystemError) {
        guard !crashed else { throw .crashed(path: path) }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += prefix.isEmpty && !path.hasPrefix("/") ? String(component) : "/" + component
            directories.insert(prefix)
        }
    }

    public func list(_ directory: String) throws(FileSystemError) -> [String] {
        guard !crashed else { throw .crashed(path: directory) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var names: Set<String> = []
        for path in Array(files.keys) + Array(directories) where path.hasPrefix(prefix) {
            if let name = path.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public mutating func lockDirectory(_ directory: String) throws(FileSystemError) {
        guard !crashed else { throw .crashed(path: directory) }
        guard !locks.contains(directory) else { throw .locked(path: directory, holder: "another simulated writer") }
        locks.insert(directory)
        try createDirectory(directory)
    }

    /// The machine restarts: unsynced bytes are kept only as a seeded prefix, locks are released.
    public mutating func restart(seed: UInt64) {
        let random = CounterRandom(seed: seed)
        for (position, path) in files.keys.sorted().enumerated() {
            var file = files[path]!
            let keep = Int(random.uniform(stream: CounterRandom.stream("disk/restart"), index: UInt64(position))
                * Double(file.volatileCount + 1))
            usedBytes -= file.volatileCount - keep
            file.commitVolatile(prefix: keep)
            files[path] = file
        }
        locks = []
        crashed = false
        crashAtOperation = nil
    }

    /// Every file's path and current bytes (durable and unsynced), sorted by path. Reads every
    /// byte into memory: for small disks and tests; stream large files with `read`. The disk must
    /// keep its bytes (`retention` is `everything`).
    public var snapshotOfFiles: [(path: String, bytes: [UInt8])] {
        precondition(log.keepsBytes, "snapshotOfFiles: this simulated disk keeps no bytes (retention sizesOnly)")
        return paths.map { path in (path, (try? read(path, offset: 0, length: files[path]!.count)) ?? []) }
    }

    /// Every file's path, sorted bytewise.
    public var paths: [String] {
        files.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
