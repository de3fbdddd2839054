/// Recovery of one store file at start: cut a torn tail, rebuild the snapshot extents.
enum StoreRecovery {
    /// Reads the whole file, cuts a torn last line (making the cut durable), and indexes snapshots.
    static func recover<FS: FileSystem>(
        path: String, fileSystem: inout FS
    ) throws -> (SnapshotStore<FS>.FileState, FileRecovery) {
        let bytes = try fileSystem.readAll(path) ?? []
        let header = StoreCSV.headerLine
        // A file shorter than its header can only be a header torn by a crash at creation.
        if bytes.count < header.count, Array(bytes) == Array(header.prefix(bytes.count)) {
            try fileSystem.truncate(path, to: 0)
            try fileSystem.append(path, header)
            try fileSystem.sync(path)
            return (
                .init(path: path, length: header.count),
                FileRecovery(path: path, rows: 0, snapshots: 0, cutBytes: bytes.count, cutPreview: preview(bytes[...]))
            )
        }
        guard bytes.starts(with: header) else {
            let firstLine = bytes.prefix { $0 != 0x0A }
            throw StoreError.unexpectedHeader(path: path, found: String(decoding: firstLine, as: UTF8.self))
        }
        var end = bytes.count
        while end > header.count, bytes[end - 1] != 0x0A { end -= 1 }
        let cut = bytes.count - end
        var state = SnapshotStore<FS>.FileState(path: path, length: end)
        var lineStart = header.count
        var lineNumber = 1
        while lineStart < end {
            lineNumber += 1
            let newline = bytes[lineStart..<end].firstIndex(of: 0x0A)!
            switch StoreCSV.decode(line: bytes[lineStart..<newline]) {
            case .failure(let error):
                throw StoreError.corruptRow(path: path, line: lineNumber, reason: error.reason)
            case .success(let row):
                let length = newline + 1 - lineStart
                if let last = state.extents.last, row.collectedAt < last.collectedAt {
                    throw StoreError.corruptRow(path: path, line: lineNumber, reason: "collected_at goes backwards")
                }
                if state.extents.last?.collectedAt != row.collectedAt { state.lastSymbols = [] }
                state.lastSymbols.append(row.quote.tradingsymbol)
                SnapshotStore<FS>.record(row.collectedAt, offset: lineStart, length: length, rows: 1, into: &state.extents)
            }
            lineStart = newline + 1
        }
        if cut > 0 { try fileSystem.truncate(path, to: end) }
        let rows = state.extents.reduce(0) { $0 + $1.rows }
        return (
            state,
            FileRecovery(
                path: path, rows: rows, snapshots: state.extents.count, cutBytes: cut,
                cutPreview: preview(bytes[end...]))
        )
    }

    static func preview(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix(60), as: UTF8.self)
    }
}

/// Counters the store keeps for health and metrics.
public struct StoreMetrics: Sendable, Equatable {
    public var rowsWritten = 0
    public var rowsAlreadyStored = 0
    public var rowsOutOfOrder = 0
    public var bytesWritten = 0
    public var syncs = 0
}
