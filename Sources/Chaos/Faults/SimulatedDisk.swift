import MarketSim
import Platform

/// An in-memory file system with crash semantics, for simulation and crash tests.
///
/// How this works: each file holds durable bytes (synced) and volatile bytes (appended since the
/// last sync, as in a page cache). Reads see both. `crashAtOperation` arms a crash: the N-th
/// mutating operation (append, sync, truncate; counted from 1) is applied to the volatile state and
/// then throws `.crashed`, as do all later calls. `restart(seed:)` models the machine coming back:
/// each file keeps its durable bytes plus a seeded random prefix of its volatile bytes (possibly a
/// torn line), and locks are released. `capacityBytes` makes appends beyond it fail with ENOSPC.
public struct SimulatedDisk: FileSystem {
    struct File {
        var durable: [UInt8] = []
        var volatile: [UInt8] = []
        var count: Int { durable.count + volatile.count }
    }

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

    public init() {}

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
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        let durableEnd = file.durable.count
        if start < durableEnd { out.append(contentsOf: file.durable[start..<min(end, durableEnd)]) }
        if end > durableEnd { out.append(contentsOf: file.volatile[max(start, durableEnd) - durableEnd..<end - durableEnd]) }
        return out
    }

    public mutating func append(_ path: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let crashes = try tick(path)
        if let capacity = capacityBytes, usedBytes + bytes.count > capacity {
            if crashes { throw .crashed(path: path) }
            throw .noSpace(path: path)
        }
        files[path, default: File()].volatile.append(contentsOf: bytes)
        usedBytes += bytes.count
        if crashes { throw .crashed(path: path) }
    }

    public mutating func sync(_ path: String) throws(FileSystemError) {
        let crashes = try tick(path)
        if crashes { throw .crashed(path: path) }  // the crash hits before the sync completes
        guard files[path] != nil else { throw .notFound(path: path) }
        // Mutate in place: copying the file out would copy its whole durable history per sync.
        files[path]!.durable.append(contentsOf: files[path]!.volatile)
        files[path]!.volatile.removeAll()
    }

    public mutating func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        let crashes = try tick(path)
        if crashes { throw .crashed(path: path) }
        guard let file = files[path] else { throw .notFound(path: path) }
        usedBytes -= file.count - min(file.count, length)
        files[path] = File(durable: Array((file.durable + file.volatile).prefix(length)), volatile: [])
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
                * Double(file.volatile.count + 1))
            file.durable.append(contentsOf: file.volatile.prefix(keep))
            usedBytes -= file.volatile.count - keep
            file.volatile = []
            files[path] = file
        }
        locks = []
        crashed = false
        crashAtOperation = nil
    }

    /// Every file's path and current bytes (durable and unsynced), sorted by path.
    public var snapshotOfFiles: [(path: String, bytes: [UInt8])] {
        files.keys.sorted().map { ($0, files[$0]!.durable + files[$0]!.volatile) }
    }

}
