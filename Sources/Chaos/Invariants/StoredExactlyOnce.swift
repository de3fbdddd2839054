import Platform

/// Every snapshot the collector produced is stored in full, exactly once, in time order per index.
///
/// Reads the collector's `snapshot` lines and the `stored` line that follows each: rows written
/// plus rows already stored must equal the snapshot's rows, none out of order, and the collected
/// instants of one index strictly increase. A `store_error` line is a violation.
public struct StoredExactlyOnce: InvariantChecker {
    public let id = "snapshots_stored_exactly_once"
    /// Rows of each produced snapshot not yet matched with its `stored` line, by index and instant.
    private var pendingRows: [SnapshotKey: Int64] = [:]
    private var lastCollected: [String: Instant] = [:]
    private var checked = 0
    private var violation: String?

    /// A snapshot's index and collected instant (ns since the epoch): hashed as they are, no string built.
    private struct SnapshotKey: Hashable {
        var index: String
        var collectedAt: Int64
    }

    public init() {}

    private static func field(_ event: LogEvent, _ key: String) -> LogValue? {
        event.fields.first { $0.0 == key }?.1
    }

    public mutating func observe(_ event: LogEvent) {
        guard event.component == "collector", violation == nil else { return }
        switch event.kind {
        case "snapshot":
            guard case .string(let index)? = Self.field(event, "index"), case .int(let rows)? = Self.field(event, "rows"),
                  case .instant(let at)? = Self.field(event, "collected_at")
            else { return }
            pendingRows[SnapshotKey(index: index, collectedAt: at.nanosecondsSinceEpoch)] = rows
        case "stored":
            checked += 1
            guard case .string(let index)? = Self.field(event, "index"),
                  case .instant(let at)? = Self.field(event, "collected_at"),
                  case .int(let written)? = Self.field(event, "rows_written"),
                  case .int(let already)? = Self.field(event, "rows_already_stored"),
                  case .int(let outOfOrder)? = Self.field(event, "rows_out_of_order")
            else { return }
            let expected = pendingRows.removeValue(forKey: SnapshotKey(index: index, collectedAt: at.nanosecondsSinceEpoch))
            if expected == nil {
                violation = "\(index) rows stored for \(at) without a snapshot produced for that instant"
            } else if let expected, written + already != expected {
                violation = "\(index) snapshot at \(at): \(expected) rows produced, \(written) written + \(already) already stored"
            } else if outOfOrder > 0 {
                violation = "\(index) snapshot at \(at): \(outOfOrder) rows refused as out of order"
            } else if let last = lastCollected[index], at <= last {
                violation = "\(index) snapshot at \(at) stored after one at \(last)"
            }
            lastCollected[index] = at
        case "store_error":
            violation = "store error at \(event.time): \(Self.field(event, "error").map { "\($0)" } ?? "")"
        default:
            return
        }
    }

    public func result() -> InvariantResult {
        InvariantResult(id: id, holds: violation == nil, checked: checked, detail: violation)
    }
}

/// Every broker request the collector sent was answered exactly once (a response or a failure).
public struct EveryRequestCompleted: InvariantChecker {
    public let id = "every_request_completed"
    private var open: Set<Int64> = []
    private var checked = 0
    private var violation: String?
    private var lastTime: Instant?

    public init() {}

    public mutating func observe(_ event: LogEvent) {
        guard event.component == "link" else { return }
        lastTime = event.time
        guard let id = event.fields.first(where: { $0.0 == "id" }), case .int(let number) = id.1 else { return }
        switch event.kind {
        case "request":
            if !open.insert(number).inserted, violation == nil { violation = "request id \(number) sent twice" }
        case "response":
            checked += 1
            if open.remove(number) == nil, violation == nil { violation = "response for unknown or completed request \(number)" }
        default:
            return
        }
    }

    public func result() -> InvariantResult {
        // Requests still open at the end may legitimately complete after the end instant; at most
        // a handful (one poll's worth) can be in flight.
        let detail = violation ?? (open.count > 8 ? "\(open.count) requests never completed" : nil)
        return InvariantResult(id: id, holds: detail == nil, checked: checked, detail: detail)
    }
}
