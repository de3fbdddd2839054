/// A read-only view of a store directory that another process (or thread) is writing.
///
/// It takes no lock and never truncates: each query first indexes whatever complete lines were
/// appended since the last one (a torn tail is simply not read yet), so a query reads only the
/// new bytes plus the bytes it returns. Safe to use beside a running `SnapshotStore`.
public struct StoreReader<FS: FileSystem> {
    public let directory: String
    public var fileSystem: FS
    private var indexed: [String: Indexed] = [:]

    struct Indexed {
        var scannedLength = 0
        var extents: [SnapshotStore<FS>.Extent] = []
    }

    public init(directory: String, fileSystem: FS) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Brings the index of `path` up to the file's last complete line.
    mutating func refresh(_ path: String) throws(StoreError) -> [SnapshotStore<FS>.Extent] {
        var state = indexed[path] ?? Indexed()
        let size: Int
        do {
            guard let current = try fileSystem.size(of: path) else { return [] }
            size = current
        } catch {
            throw .fileSystem(error)
        }
        if state.scannedLength == 0 {
            state.scannedLength = StoreCSV.headerLine.count
            guard size >= state.scannedLength else { return [] }
        }
        guard size > state.scannedLength else {
            indexed[path] = state
            return state.extents
        }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path, offset: state.scannedLength, length: size - state.scannedLength)
        } catch {
            throw .fileSystem(error)
        }
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            guard case .success(let row) = StoreCSV.decode(line: bytes[start..<newline]) else {
                throw .corruptRow(path: path, line: 0, reason: "unparseable row at byte \(state.scannedLength + start)")
            }
            let length = newline + 1 - start
            SnapshotStore<FS>.record(row.collectedAt, offset: state.scannedLength + start, length: length, rows: 1,
                                     into: &state.extents)
            start = newline + 1
        }
        state.scannedLength += start
        indexed[path] = state
        return state.extents
    }

    /// Trading dates with a file for `index`, oldest first.
    public mutating func dates(index: String) throws(StoreError) -> [CivilDate] {
        do {
            return try fileSystem.list(directory).compactMap { day in CivilDate(iso: day) }.filter { day in
                (try? fileSystem.size(of: StoreCSV.path(directory: directory, date: day, index: index))) != nil
            }.sorted()
        } catch {
            throw .fileSystem(error)
        }
    }

    /// The rows of the snapshots with `from <= collectedAt <= to` (whole snapshots, at most `limit` rows).
    public mutating func range(index: String, date: CivilDate, from: Instant, to: Instant, limit: Int = .max) throws(StoreError)
        -> [StoredRow]
    {
        let path = StoreCSV.path(directory: directory, date: date, index: index)
        let extents = try refresh(path)
        var selected: [SnapshotStore<FS>.Extent] = []
        var count = 0
        for extent in extents where extent.collectedAt >= from && extent.collectedAt <= to {
            guard count + extent.rows <= limit || selected.isEmpty else { break }
            selected.append(extent)
            count += extent.rows
        }
        guard let first = selected.first, let last = selected.last else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path, offset: first.offset, length: last.offset + last.length - first.offset)
        } catch {
            throw .fileSystem(error)
        }
        var rows: [StoredRow] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if case .success(let row) = StoreCSV.decode(line: bytes[start..<newline]) { rows.append(row) }
            start = newline + 1
        }
        return rows
    }

    /// Instants of the snapshots stored for `index` on `date`.
    public mutating func snapshotTimes(index: String, date: CivilDate) throws(StoreError) -> [Instant] {
        try refresh(StoreCSV.path(directory: directory, date: date, index: index)).map(\.collectedAt)
    }
}
