import Platform

/// A run's event log folded into time buckets: what the platform stored, what the broker answered,
/// how fast, and what went wrong, for the HTML run report.
///
/// It reads the log's bytes exactly as `EventLog` writes them (JSON lines, in chunks that may split
/// a line), so it can watch a run through `EventLog.Output` without touching the run. Bucket width
/// is chosen from the span so a report has at most about 150 buckets (1 s … 5 min).
public struct RunTimeline: Sendable {
    /// Counts and samples of one bucket `[start, start + width)`.
    public struct Bucket: Sendable, Equatable {
        public var snapshotsComplete = 0
        public var snapshotsPartial = 0
        public var snapshotsMissed = 0
        public var rowsStored = 0
        /// Rows a retried snapshot offered again and the store already held (deduplicated, not lost).
        public var rowsAlreadyStored = 0
        public var responsesOK = 0
        public var responsesRateLimited = 0
        public var responsesClientError = 0
        public var responsesServerError = 0
        /// Link faults: dropped (timed out), reset, truncated or refused during an outage.
        public var transportFaults = 0
        public var batchesFailed = 0
        public var batchesSkipped = 0
        public var tickerDrops = 0
        public var apiOK = 0
        public var apiErrors = 0
        /// Broker response latencies (request to response, as the link logged them), in microseconds.
        public var latenciesMicros: [Int] = []
        /// The last underlying per index (paise), in the order of `RunTimeline.indices`; nil when no snapshot.
        public var underlyingPaise: [Int64?] = []
    }

    /// A failure worth listing: when, who and what.
    public struct Failure: Sendable, Equatable {
        public var time: Instant
        public var component: String
        public var kind: String
        public var detail: String
    }

    public let start: Instant
    public let end: Instant
    /// Bucket width in seconds.
    public let bucketSeconds: Int
    public private(set) var buckets: [Bucket]
    /// The indices named in the log's header, in order.
    public private(set) var indices: [String] = []
    /// The header's fields (scenario, seed, session date, market events, …), in log order.
    public private(set) var header: [(key: String, value: String)] = []
    /// The first `failureLimit` failures, in log order, and how many there were in all.
    public private(set) var failures: [Failure] = []
    public private(set) var failureCount = 0
    /// Windows in which the collector saw an index's exchange time stand still (`quotes_stale` … `quotes_fresh`).
    public private(set) var staleQuotes: [(from: Instant, until: Instant?, label: String)] = []
    /// Market-wide halts logged by the `market` component: from, until (nil: rest of the run), limit and index.
    public private(set) var halts: [(from: Instant, until: Instant?, label: String)] = []
    /// Lines that were not JSON objects with a time (none in a log `EventLog` wrote).
    public private(set) var unreadableLines = 0
    static let failureLimit = 40
    private var partialLine: [UInt8] = []

    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
        let span = max(1, Int((end - start).wholeNanoseconds / 1_000_000_000))
        bucketSeconds = [1, 2, 5, 10, 15, 30, 60, 120, 300].first { span / $0 <= 150 } ?? 300
        buckets = Array(repeating: Bucket(), count: (span + bucketSeconds - 1) / bucketSeconds)
    }

    /// The instant bucket `index` starts at.
    public func bucketStart(_ index: Int) -> Instant { start + .seconds(index * bucketSeconds) }

    /// Feeds the next chunk of log bytes (any split); complete lines are folded in at once.
    public mutating func consume(_ bytes: [UInt8]) {
        var lineStart = 0
        for position in bytes.indices where bytes[position] == UInt8(ascii: "\n") {
            if partialLine.isEmpty {
                fold(line: bytes[lineStart..<position])
            } else {
                partialLine += bytes[lineStart..<position]
                fold(line: partialLine[...])
                partialLine.removeAll(keepingCapacity: true)
            }
            lineStart = position + 1
        }
        partialLine += bytes[lineStart...]
    }

    private mutating func fold(line: ArraySlice<UInt8>) {
        guard let value = try? JSONParser.parse(Array(line)), case .object(let members) = value,
              case .number(let t)? = value["t"], let nanoseconds = t.int64
        else {
            unreadableLines += 1
            return
        }
        let time = Instant(nanosecondsSinceEpoch: nanoseconds)
        let component = value["component"]?.stringValue ?? ""
        let kind = value["kind"]?.stringValue ?? ""
        if component == "world", kind == "start" {
            header = members.compactMap { member in
                guard !["t", "at", "component", "kind"].contains(member.key) else { return nil }
                return (member.key, member.value.stringValue ?? member.value.jsonText)
            }
            indices = (value["indices"]?.stringValue ?? "").split(separator: ",").map(String.init)
            for index in buckets.indices { buckets[index].underlyingPaise = Array(repeating: nil, count: indices.count) }
        }
        let offset = (time - start).wholeNanoseconds / 1_000_000_000
        guard offset >= 0, !buckets.isEmpty else { return }
        let bucket = min(buckets.count - 1, Int(offset) / bucketSeconds)
        func int(_ key: String) -> Int? {
            guard case .number(let number)? = value[key], let integer = number.int64 else { return nil }
            return Int(integer)
        }
        switch (component, kind) {
        case ("collector", "snapshot"):
            if (int("completeness_permille") ?? 1000) >= 1000 {
                buckets[bucket].snapshotsComplete += 1
            } else {
                buckets[bucket].snapshotsPartial += 1
            }
            if let index = indices.firstIndex(of: value["index"]?.stringValue ?? ""), let paise = int("underlying_paise") {
                buckets[bucket].underlyingPaise[index] = Int64(paise)
            }
        case ("collector", "snapshot_missed"):
            buckets[bucket].snapshotsMissed += 1
        case ("collector", "stored"):
            buckets[bucket].rowsStored += int("rows_written") ?? 0
            buckets[bucket].rowsAlreadyStored += int("rows_already_stored") ?? 0
        case ("collector", "batch_failed"):
            buckets[bucket].batchesFailed += 1
            noteFailure(time, component, kind, value["error"]?.stringValue ?? "")
        case ("collector", "batch_skipped"):
            buckets[bucket].batchesSkipped += 1
        case ("collector", "ticker_disconnected"):
            buckets[bucket].tickerDrops += 1
            noteFailure(time, component, kind, value["reason"]?.stringValue ?? "")
        case ("link", "response"):
            if let latency = int("latency_us") { buckets[bucket].latenciesMicros.append(latency) }
            let fault = value["fault"]?.stringValue ?? "none"
            if fault != "none" {
                buckets[bucket].transportFaults += 1
                noteFailure(time, component, "fault " + fault, value["failure"]?.stringValue ?? "")
            } else if let status = int("status") {
                switch status {
                case 429: buckets[bucket].responsesRateLimited += 1
                case 400..<500: buckets[bucket].responsesClientError += 1
                case 500...: buckets[bucket].responsesServerError += 1
                default: buckets[bucket].responsesOK += 1
                }
            }
        case ("collector", "quotes_stale"):
            staleQuotes.append((time, nil, "stale " + (value["index"]?.stringValue ?? "")))
        case ("collector", "quotes_fresh"):
            let label = "stale " + (value["index"]?.stringValue ?? "")
            if let open = staleQuotes.lastIndex(where: { $0.until == nil && $0.label == label }) { staleQuotes[open].until = time }
        case ("market", "halted"):
            let limit = int("limit_percent").map { "\($0)%" } ?? ""
            halts.append((time, nil, "halt \(limit) \(value["index"]?.stringValue ?? "")"))
        case ("market", "resumed"):
            if let open = halts.lastIndex(where: { $0.until == nil }) {
                halts[open].until = time
            } else {
                halts.append((start, time, "halt"))  // in force before the log began
            }
        case (_, "api_response"):
            if let status = int("status"), status < 400 { buckets[bucket].apiOK += 1 } else { buckets[bucket].apiErrors += 1 }
        default:
            if kind.hasSuffix("_violated") || kind == "store_error" {
                noteFailure(time, component, kind, members.map { "\($0.key)=\($0.value.stringValue ?? $0.value.jsonText)" }.joined(separator: " "))
            }
        }
    }

    private mutating func noteFailure(_ time: Instant, _ component: String, _ kind: String, _ detail: String) {
        failureCount += 1
        if failures.count < RunTimeline.failureLimit { failures.append(Failure(time: time, component: component, kind: kind, detail: detail)) }
    }
}

extension JSONValue {
    /// The text of a string value, or nil.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
