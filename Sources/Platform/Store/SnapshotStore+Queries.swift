extension SnapshotStore {
    /// Instants of the snapshots stored for `index` on `date`, oldest first.
    public func snapshotTimes(index: String, date: CivilDate) -> [Instant] {
        files[StoreCSV.path(directory: directory, date: date, index: index)]?.extents.map(\.collectedAt) ?? []
    }

    /// The most recent snapshot's rows for `index` on `date`, reading only its bytes.
    public mutating func latest(index: String, date: CivilDate) throws(StoreError) -> [StoredRow] {
        let path = StoreCSV.path(directory: directory, date: date, index: index)
        guard let extent = files[path]?.extents.last else { return [] }
        return try rows(path: path, extents: [extent])
    }

    /// Rows of every snapshot with `from <= collectedAt <= to`, oldest first, at most `limit` rows
    /// (whole snapshots only, so a page never splits one).
    public mutating func range(
        index: String, date: CivilDate, from: Instant, to: Instant, limit: Int = .max
    ) throws(StoreError) -> [StoredRow] {
        let path = StoreCSV.path(directory: directory, date: date, index: index)
        guard let extents = files[path]?.extents else { return [] }
        var low = 0
        var high = extents.count
        while low < high {  // first extent at or after `from`
            let mid = (low + high) / 2
            if extents[mid].collectedAt < from { low = mid + 1 } else { high = mid }
        }
        var selected: [Extent] = []
        var count = 0
        for extent in extents[low...] {
            guard extent.collectedAt <= to, count + extent.rows <= limit || selected.isEmpty else { break }
            selected.append(extent)
            count += extent.rows
        }
        return try rows(path: path, extents: selected)
    }

    private mutating func rows(path: String, extents: [Extent]) throws(StoreError) -> [StoredRow] {
        guard let first = extents.first, let last = extents.last else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path, offset: first.offset, length: last.offset + last.length - first.offset)
        } catch {
            throw .fileSystem(error)
        }
        var out: [StoredRow] = []
        var start = 0
        var line = 0
        while start < bytes.count {
            line += 1
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            switch StoreCSV.decode(line: bytes[start..<newline]) {
            case .success(let row): out.append(row)
            case .failure(let error): throw .corruptRow(path: path, line: line, reason: error.reason)
            }
            start = newline + 1
        }
        return out
    }
}

extension SnapshotStore {
    /// Trading dates with a file for `index`, oldest first.
    public func dates(index: String) -> [CivilDate] {
        let suffix = "/\(index).csv"
        let prefix = directory + "/"
        return files.keys.compactMap { path -> CivilDate? in
            guard path.hasPrefix(prefix), path.hasSuffix(suffix) else { return nil }
            return CivilDate(iso: path.dropFirst(prefix.count).dropLast(suffix.count))
        }.sorted()
    }
}
