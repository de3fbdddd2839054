import Platform

/// The event log: each event becomes one JSON line, hashed into the run digest and optionally
/// written out. Invariant checkers watch every event as it is recorded.
///
/// The digest is SHA-256 over the exact bytes of the log, so two runs agree on the digest if and
/// only if their logs agree byte for byte.
public struct EventLog: EventSink {
    /// Receives the log's bytes in order, in chunks; `nil` keeps the log in the hash only.
    public typealias Output = ([UInt8]) -> Void

    private var hasher = SHA256()
    private var pending: [UInt8] = []
    private let output: Output?
    private var checkers: [any InvariantChecker]
    public private(set) var eventCount = 0
    public private(set) var byteCount = 0

    static let flushThreshold = 1 << 16

    public init(output: Output? = nil, checkers: [any InvariantChecker] = InvariantCatalog.kernel) {
        self.output = output
        self.checkers = checkers
        pending.reserveCapacity(EventLog.flushThreshold + 1024)
    }

    public mutating func record(_ event: LogEvent) {
        event.jsonLine(into: &pending)
        eventCount += 1
        for index in checkers.indices { checkers[index].observe(event) }
        if pending.count >= EventLog.flushThreshold { flush() }
    }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        hasher.update(pending)
        byteCount += pending.count
        output?(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes what is buffered and returns the digest of everything recorded.
    public mutating func digest() -> Digest {
        flush()
        var copy = hasher
        return copy.finalize()
    }

    /// Each checker's verdict, in catalogue order.
    public func invariantResults() -> [InvariantResult] {
        checkers.map { $0.result() }
    }
}
