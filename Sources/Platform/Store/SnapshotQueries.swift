/// Read queries over stored snapshots, answered by the writer itself or by a read-only reader.
public protocol SnapshotQueries {
    /// Trading dates with a file for `index`, oldest first.
    mutating func queryDates(index: String) throws(StoreError) -> [CivilDate]
    /// Instants of the snapshots stored for `index` on `date`, oldest first.
    mutating func querySnapshotTimes(index: String, date: CivilDate) throws(StoreError) -> [Instant]
    /// Rows of whole snapshots with `from <= collectedAt <= to`, at most `limit` rows.
    mutating func queryRange(index: String, date: CivilDate, from: Instant, to: Instant, limit: Int) throws(StoreError)
        -> [StoredRow]
}

extension SnapshotQueries {
    /// The most recent snapshot's rows of `index`, or empty.
    public mutating func queryLatest(index: String) throws(StoreError) -> [StoredRow] {
        guard let date = try queryDates(index: index).last,
              let last = try querySnapshotTimes(index: index, date: date).last
        else { return [] }
        return try queryRange(index: index, date: date, from: last, to: last, limit: .max)
    }
}

extension SnapshotStore: SnapshotQueries {
    public mutating func queryDates(index: String) throws(StoreError) -> [CivilDate] { dates(index: index) }

    public mutating func querySnapshotTimes(index: String, date: CivilDate) throws(StoreError) -> [Instant] {
        snapshotTimes(index: index, date: date)
    }

    public mutating func queryRange(index: String, date: CivilDate, from: Instant, to: Instant, limit: Int) throws(StoreError)
        -> [StoredRow]
    {
        try range(index: index, date: date, from: from, to: to, limit: limit)
    }
}

extension StoreReader: SnapshotQueries {
    public mutating func queryDates(index: String) throws(StoreError) -> [CivilDate] { try dates(index: index) }

    public mutating func querySnapshotTimes(index: String, date: CivilDate) throws(StoreError) -> [Instant] {
        try snapshotTimes(index: index, date: date)
    }

    public mutating func queryRange(index: String, date: CivilDate, from: Instant, to: Instant, limit: Int) throws(StoreError)
        -> [StoredRow]
    {
        try range(index: index, date: date, from: from, to: to, limit: limit)
    }
}
