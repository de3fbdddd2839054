import Synchronization

/// Encoded `/v1/chain/{index}` bodies, kept per request and data generation so an unchanged store
/// is not re-analysed on every request.
///
/// How this works: the data source numbers its states (`PlatformDataSource.dataGeneration`) and
/// bumps the number whenever a snapshot lands or its inputs change. A lookup reads the
/// generation *before* computing, and stores the body under that generation; a snapshot landing
/// while the body is computed therefore bumps the generation past the stored entry, which the
/// next request recomputes. So a body is never served for a generation newer than the data it
/// was computed from, and a hit is byte-identical to what a fresh computation at that generation
/// gives. Thread-safe: the live server calls it from one event loop per core; two loops missing
/// at once both compute, and either's (equal) body is kept.
public final class ChainResponseCache: Sendable {
    /// What identifies a chain body apart from the data: the route's validated parameters.
    public struct Key: Hashable, Sendable {
        public var index: String
        public var expiry: CivilDate?
        /// Bucket name; nil when `expiry` is given (the route ignores it then).
        public var bucket: String?
        public var strikes: Int?

        public init(index: String, expiry: CivilDate?, bucket: String?, strikes: Int?) {
            self.index = index
            self.expiry = expiry
            self.bucket = expiry == nil ? bucket : nil
            self.strikes = strikes
        }
    }

    struct Entry {
        var generation: UInt64
        var body: [UInt8]
    }

    struct State {
        var entries: [Key: Entry] = [:]
        var hits: UInt64 = 0
        var misses: UInt64 = 0
    }

    /// Entries kept at most; past it the cache starts over (queries vary little in practice).
    public let entriesMax: Int
    private let state = Mutex(State())

    public init(entriesMax: Int = 256) {
        precondition(entriesMax >= 1, "entriesMax must be at least 1, got \(entriesMax)")
        self.entriesMax = entriesMax
    }

    /// The body for `key` at `generation`: the cached bytes when they were computed at that
    /// generation, else `compute()`'s (then cached). Errors are not cached.
    public func body(
        for key: Key, generation: UInt64, compute: () throws(APIError) -> [UInt8]
    ) throws(APIError) -> [UInt8] {
        let cached = state.withLock { state -> [UInt8]? in
            guard let entry = state.entries[key], entry.generation == generation else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return entry.body
        }
        if let cached { return cached }
        let body = try compute()
        state.withLock { state in
            if state.entries.count >= entriesMax && state.entries[key] == nil { state.entries.removeAll(keepingCapacity: true) }
            // Keep the newest generation's body when two loops race on the same key.
            if let existing = state.entries[key], existing.generation > generation { return }
            state.entries[key] = Entry(generation: generation, body: body)
            precondition(state.entries.count <= entriesMax, "chain cache holds \(state.entries.count) > \(entriesMax)")
        }
        return body
    }

    /// Lookups answered from the cache and computed, since start.
    public var counts: (hits: UInt64, misses: UInt64) { state.withLock { ($0.hits, $0.misses) } }
}
