/// What an API key may do.
public enum APIScope: String, Sendable, CaseIterable, Comparable {
    /// REST reads: chains, analytics, history.
    case read
    /// The WebSocket stream.
    case stream
    /// Key management and operational routes.
    case admin

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One configured key: stored only as its SHA-256, with scopes and its own rate limit.
public struct APIKeyRecord: Sendable, Equatable {
    /// A public identifier for logs and metrics (never the key itself).
    public var id: String
    /// SHA-256 of the key's UTF-8 bytes.
    public var keyHash: [UInt8]
    public var scopes: Set<APIScope>
    /// Burst and sustained rate of this key's requests.
    public var burst: Int64
    public var requestsPerSecond: Double

    public init(id: String, key: String, scopes: Set<APIScope>, burst: Int64 = 20, requestsPerSecond: Double = 10) {
        self.init(id: id, keyHash: SHA256.hash(Array(key.utf8)).bytes, scopes: scopes, burst: burst,
                  requestsPerSecond: requestsPerSecond)
    }

    public init(id: String, keyHash: [UInt8], scopes: Set<APIScope>, burst: Int64, requestsPerSecond: Double) {
        self.id = id
        self.keyHash = keyHash
        self.scopes = scopes
        self.burst = burst
        self.requestsPerSecond = requestsPerSecond
    }
}

/// Authenticates requests by API key and enforces each key's scopes and rate limit.
///
/// Keys are compared by hash in constant time, so neither the stored keys nor the timing of a
/// rejection reveal anything about a valid key. Each key has its own token bucket in the time the
/// caller passes in.
public struct APIKeyStore: Sendable {
    private var records: [APIKeyRecord]
    private var buckets: [String: TokenBucket] = [:]

    public init(records: [APIKeyRecord]) {
        self.records = records.sorted { $0.id < $1.id }
        precondition(Set(records.map(\.id)).count == records.count, "API key ids must be unique")
    }

    /// The outcome of authorising one request.
    public enum Decision: Sendable, Equatable {
        case allowed(keyID: String, remaining: Int64, limit: Int64)
        case denied(APIError)
    }

    /// Checks `presentedKey` (from `X-API-Key`) for `scope` at `now`, charging one token if allowed.
    public mutating func authorize(presentedKey: String?, scope: APIScope, at now: Instant) -> Decision {
        guard let presentedKey, !presentedKey.isEmpty else {
            return .denied(.unauthenticated("missing X-API-Key header"))
        }
        let presentedHash = SHA256.hash(Array(presentedKey.utf8)).bytes
        var match: APIKeyRecord?
        for record in records where Self.constantTimeEqual(record.keyHash, presentedHash) {
            match = record  // keep scanning: the time taken does not depend on which key matched
        }
        guard let record = match else { return .denied(.unauthenticated("unknown API key")) }
        guard record.scopes.contains(scope) else {
            return .denied(.forbidden("key \(record.id) lacks the \(scope.rawValue) scope"))
        }
        var bucket = buckets[record.id]
            ?? TokenBucket(capacity: record.burst, refillPerSecond: record.requestsPerSecond, now: now)
        let result = bucket.take(at: now)
        buckets[record.id] = bucket
        switch result {
        case .granted(let remaining):
            return .allowed(keyID: record.id, remaining: remaining, limit: record.burst)
        case .denied(let retryAfter):
            return .denied(.rateLimited(keyID: record.id, retryAfter: retryAfter, limit: record.burst))
        }
    }

    /// The id of the configured key equal to `presentedKey`, or nil (for logs: never log the key).
    public func keyID(presentedKey: String?) -> String? {
        guard let presentedKey, !presentedKey.isEmpty else { return nil }
        let presentedHash = SHA256.hash(Array(presentedKey.utf8)).bytes
        var match: String?
        for record in records where Self.constantTimeEqual(record.keyHash, presentedHash) { match = record.id }
        return match
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
