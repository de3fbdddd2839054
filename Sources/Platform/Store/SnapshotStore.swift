/// The consolidated, crash-safe snapshot writer and its queries.
///
/// How this works: `open()` locks the data directory and recovers every file in it (a torn last
/// line is cut and reported; a corrupt complete line stops the store). `write(_:)` appends a
/// snapshot's rows to `DIR/YYYY-MM-DD/INDEX.csv` and fsyncs every `syncEverySnapshots` snapshots.
/// Rows are keyed by (collected instant, tradingsymbol): a snapshot retried after a crash writes only
/// the rows that did not survive, so nothing is stored twice. The store keeps, per file, the byte
/// extent of each snapshot, so queries read only the bytes they return.
///
/// Rules kept: snapshots in a file are in increasing `collectedAt` order; a row is never written
/// twice; bytes written since the last sync are the only ones a crash can lose.
public struct SnapshotStore<FS: FileSystem> {
    public let directory: String
    public let syncEverySnapshots: Int
    /// The file system the store writes through; simulation reaches in to crash and restart it.
    public var fileSystem: FS
    var files: [String: FileState] = [:]
    public private(set) var metrics = StoreMetrics()
    /// Encodes rows into one reused buffer, remembering each file's contract columns.
    var csv = StoreCSVWriter()
    /// Memory lent to file systems that stage appended bytes (see `FileSystem.append(_:capacity:scratch:writing:)`).
    var stage: [UInt8] = []
    /// The files last written, by (date, index): their paths, so a write builds no path string.
    var recentPaths: [(date: CivilDate, index: String, path: String)] = []

    /// One snapshot's rows as a byte range of its file.
    public typealias Extent = SnapshotExtent

    /// Adds `length` bytes holding `rows` rows collected at `collectedAt`: they extend the last extent
    /// when it has the same instant (a retried snapshot), else start a new one at `offset`.
    static func record(_ collectedAt: Instant, offset: Int, length: Int, rows: Int, into extents: inout [Extent]) {
        if let last = extents.last, last.collectedAt == collectedAt {
            extents[extents.count - 1].length += length
            extents[extents.count - 1].rows += rows
        } else {
            extents.append(Extent(collectedAt: collectedAt, offset: offset, length: length, rows: rows))
        }
    }

    /// What the store knows of one file (outside this generic type, so the map of them is specialised).
    typealias FileState = SnapshotFileState

    public init(directory: String, fileSystem: FS, syncEverySnapshots: Int = 1) {
        precondition(syncEverySnapshots >= 1, "syncEverySnapshots must be at least 1, got \(syncEverySnapshots)")
        self.directory = directory
        self.fileSystem = fileSystem
        self.syncEverySnapshots = syncEverySnapshots
    }

    /// Locks the directory and recovers every existing file; returns what recovery found, by path.
    public mutating func open() throws(StoreError) -> [FileRecovery] {
        do {
            try fileSystem.lockDirectory(directory)
            var reports: [FileRecovery] = []
            for day in try fileSystem.list(directory) where CivilDate(iso: day) != nil {
                for name in try fileSystem.list("\(directory)/\(day)") where name.hasSuffix(".csv") {
                    let path = "\(directory)/\(day)/\(name)"
                    let (state, report) = try StoreRecovery.recover(path: path, fileSystem: &fileSystem)
                    files[path] = state
                    reports.append(report)
                }
            }
            return reports
        } catch let error as FileSystemError {
            throw .fileSystem(error)
        } catch let error as StoreError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// The outcome of one `write`.
    public struct WriteResult: Sendable, Equatable {
        public var rowsWritten: Int
        /// Rows already stored under the same (instant, symbol): a retried snapshot.
        public var rowsAlreadyStored: Int
        /// Rows refused because a later snapshot was already stored in this file.
        public var rowsOutOfOrder: Int
        public var synced: Bool
    }

    /// Appends a snapshot, skipping rows already stored; fsyncs per the sync policy.
    public mutating func write(_ snapshot: ChainSnapshot) throws(StoreError) -> WriteResult {
        let path = path(for: snapshot)
        do {
            var state = try fileState(path, date: snapshot.tradingDate)
            var result = WriteResult(rowsWritten: 0, rowsAlreadyStored: 0, rowsOutOfOrder: 0, synced: false)
            let last = state.extents.last?.collectedAt
            if let last, snapshot.collectedAt < last {
                result.rowsOutOfOrder = snapshot.rows.count
                metrics.rowsOutOfOrder += snapshot.rows.count
                return result
            }
            let continuing = last == snapshot.collectedAt
            var keep: [Bool]?
            var fresh = snapshot.rows.count
            if continuing {
                let stored = Set(state.lastSymbols + state.lastRows.map(\.tradingsymbol))
                let mask = snapshot.rows.map { !stored.contains($0.tradingsymbol) }
                fresh = 0
                for (row, kept) in zip(snapshot.rows, mask) where kept {
                    fresh += 1
                    state.lastSymbols.append(row.tradingsymbol)
                }
                keep = mask
            } else {
                state.lastSymbols = []
                state.lastRows = snapshot.rows
            }
            result.rowsAlreadyStored = snapshot.rows.count - fresh
            metrics.rowsAlreadyStored += result.rowsAlreadyStored
            if fresh > 0 {
                // The rows are encoded straight into the file system's buffer (no array to build, then copy).
                var prepared = csv.prepare(snapshot, key: path)
                var byteCount = 0
                var scratch = stage
                stage = []
                defer { stage = scratch }
                try fileSystem.append(path, capacity: prepared.bound, scratch: &scratch) { base in
                    byteCount = prepared.write(into: base, keep: keep)
                    return byteCount
                }
                csv.finish(prepared)
                // Drop the map's copy first: the extents then grow in place instead of being copied
                // whole on every write (which made a session's writes quadratic in its snapshots).
                files[path] = nil
                Self.record(snapshot.collectedAt, offset: state.length, length: byteCount, rows: fresh, into: &state.extents)
                state.length += byteCount
                state.unsyncedSnapshots += 1
                result.rowsWritten = fresh
                metrics.rowsWritten += fresh
                metrics.bytesWritten += byteCount
            }
            if state.unsyncedSnapshots >= syncEverySnapshots {
                // Synced before the state goes back into the map, so the map is written once; a failed
                // sync leaves the state stored with its unsynced count, as `sync(_:)` would.
                do {
                    try fileSystem.sync(path)
                } catch {
                    files[path] = state
                    throw error
                }
                state.unsyncedSnapshots = 0
                metrics.syncs += 1
                result.synced = true
            }
            files[path] = state
            return result
        } catch let error as FileSystemError {
            throw .fileSystem(error)
        } catch let error as StoreError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// The file `snapshot` belongs in, `StoreCSV.path`, remembered for the last few (date, index) pairs.
    mutating func path(for snapshot: ChainSnapshot) -> String {
        for entry in recentPaths where entry.date == snapshot.tradingDate && entry.index == snapshot.index { return entry.path }
        let path = StoreCSV.path(directory: directory, date: snapshot.tradingDate, index: snapshot.index)
        if recentPaths.count >= 8 { recentPaths.removeFirst() }
        recentPaths.append((snapshot.tradingDate, snapshot.index, path))
        return path
    }

    /// Fsyncs every file with unsynced snapshots (at shutdown, or on a timer).
    public mutating func syncAll() throws(StoreError) {
        for path in files.keys.sorted() where files[path]!.unsyncedSnapshots > 0 {
            do { try sync(path) } catch { throw .fileSystem(error) }
        }
    }

    private mutating func sync(_ path: String) throws(FileSystemError) {
        try fileSystem.sync(path)
        files[path]?.unsyncedSnapshots = 0
        metrics.syncs += 1
    }

    private mutating func fileState(_ path: String, date: CivilDate) throws(StoreError) -> FileState {
        if let state = files[path] { return state }
        do {
            try fileSystem.createDirectory("\(directory)/\(date)")
            if try fileSystem.size(of: path) != nil {
                let (state, _) = try StoreRecovery.recover(path: path, fileSystem: &fileSystem)
                return state
            }
            try fileSystem.append(path, StoreCSV.headerLine)
            try fileSystem.sync(path)
            return FileState(path: path, length: StoreCSV.headerLine.count)
        } catch let error as FileSystemError {
            throw .fileSystem(error)
        } catch let error as StoreError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }
}

/// One snapshot's rows as a byte range of its store file (`SnapshotStore.Extent`).
public struct SnapshotExtent: Sendable, Equatable {
    /// The snapshot's collected instant.
    public var collectedAt: Instant
    /// Byte offset of its first row in the file.
    public var offset: Int
    /// Bytes its rows take.
    public var length: Int
    /// Rows it holds.
    public var rows: Int
}

/// What `SnapshotStore` knows of one file: its length, snapshot extents and the last instant's symbols.
struct SnapshotFileState {
    var path: String
    var length: Int
    var extents: [SnapshotExtent] = []
    /// Symbols stored for the last extent's instant: the dedup set for a retried snapshot.
    /// Kept as a list and hashed only when a snapshot for that instant comes again; the first
    /// snapshot's symbols are kept as its rows (one reference, not one string per row).
    var lastSymbols: [String] = []
    var lastRows: [QuoteRow] = []
    var unsyncedSnapshots = 0
}
