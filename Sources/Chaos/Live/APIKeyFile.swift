import Foundation
import Platform

/// Reads API keys for the live API from a JSON file, so production-like keys, scopes and limits
/// need no code change. Keys may be given in plain text or, better, as their SHA-256:
///
/// ```json
/// { "keys": [
///     { "id": "dashboard", "key_sha256": "9f86d0…", "scopes": ["read", "stream"], "burst": 20, "requests_per_second": 10 },
///     { "id": "ops", "key": "ops-secret", "scopes": ["read", "admin"] }
/// ] }
/// ```
public enum APIKeyFile {
    public static func load(path: String) throws(ScenarioError) -> [APIKeyRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "no such file or not readable")
        }
        return try decode(Array(data), file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(ScenarioError) -> [APIKeyRecord] {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw .invalidJSON(file: file, error) }
        var reader = try ScenarioReader(file: file, path: "", value: root)
        let items = try reader.array(reader.required("keys", expected: "an array of keys"), at: "keys")
        try reader.finish()
        var records: [APIKeyRecord] = []
        for (position, item) in items.enumerated() {
            var key = try reader.object(item, at: "keys[\(position)]")
            let id = try key.string(key.required("id", expected: "a key id"), at: "id")
            guard !records.contains(where: { $0.id == id }) else {
                throw .invalidValue(file: file, keyPath: key.keyPath("id"), expected: "a unique id", found: JSONWriter.quoted(id))
            }
            let plain = try key.optional("key").map { v throws(ScenarioError) in try key.string(v, at: "key") }
            let hashed = try key.optional("key_sha256").map { v throws(ScenarioError) in try key.string(v, at: "key_sha256") }
            let hash: [UInt8]
            switch (plain, hashed) {
            case (let plain?, nil):
                hash = SHA256.hash(Array(plain.utf8)).bytes
            case (nil, let hex?):
                guard let bytes = Self.hexBytes(hex), bytes.count == 32 else {
                    throw .invalidValue(file: file, keyPath: key.keyPath("key_sha256"), expected: "64 hexadecimal digits",
                                        found: JSONWriter.quoted(hex))
                }
                hash = bytes
            default:
                throw .invalidValue(file: file, keyPath: key.keyPath("key"), expected: "exactly one of key or key_sha256",
                                    found: plain == nil ? "neither" : "both")
            }
            var scopes: Set<APIScope> = []
            for (index, scope) in try key.array(key.required("scopes", expected: "an array of scopes"), at: "scopes").enumerated() {
                let name = try key.string(scope, at: "scopes[\(index)]")
                guard let parsed = APIScope(rawValue: name) else {
                    throw .invalidValue(file: file, keyPath: key.keyPath("scopes[\(index)]"), expected: "read, stream or admin",
                                        found: JSONWriter.quoted(name))
                }
                scopes.insert(parsed)
            }
            let burst = try key.integer("burst", in: 1...100_000, default: 20)
            let rate = try key.number("requests_per_second", in: 0.001...100_000, default: 10)
            try key.finish()
            records.append(APIKeyRecord(id: id, keyHash: hash, scopes: scopes, burst: burst, requestsPerSecond: rate))
        }
        return records
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.lowercased().utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Int(String(UnicodeScalar(digits[index])), radix: 16),
                  let low = Int(String(UnicodeScalar(digits[index + 1])), radix: 16)
            else { return nil }
            out.append(UInt8(high << 4 | low))
        }
        return out
    }
}
