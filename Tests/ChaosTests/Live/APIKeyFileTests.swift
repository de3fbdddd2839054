import Platform
import Testing

@testable import Chaos

@Suite struct APIKeyFileTests {
    @Test("a key file gives hashed keys with their scopes and limits, plain or pre-hashed")
    func decodes() throws {
        let hash = SHA256.hash(Array("dash-secret".utf8)).hexString
        let records = try APIKeyFile.decode(Array("""
            {"keys": [{"id": "dash", "key_sha256": "\(hash)", "scopes": ["read", "stream"], "burst": 5, "requests_per_second": 2},
                      {"id": "ops", "key": "ops-secret", "scopes": ["admin"]}]}
            """.utf8), file: "keys.json")
        var store = APIKeyStore(records: records)
        let now = Instant(secondsSinceEpoch: 1_795_491_900)
        #expect(store.authorize(presentedKey: "dash-secret", scope: .stream, at: now) == .allowed(keyID: "dash", remaining: 4, limit: 5))
        guard case .denied(let error) = store.authorize(presentedKey: "ops-secret", scope: .read, at: now) else {
            Issue.record("ops has no read scope")
            return
        }
        #expect(error.status == 403)
    }

    @Test("bad key files are rejected with the key path", arguments: [
        (#"{"keys": [{"id": "a", "key": "x", "scopes": ["read"]}, {"id": "a", "key": "y", "scopes": ["read"]}]}"#, "keys[1].id"),
        (#"{"keys": [{"id": "a", "key_sha256": "abc", "scopes": ["read"]}]}"#, "keys[0].key_sha256"),
        (#"{"keys": [{"id": "a", "scopes": ["read"]}]}"#, "keys[0].key"),
        (#"{"keys": [{"id": "a", "key": "x", "scopes": ["write"]}]}"#, "keys[0].scopes[0]"),
        (#"{"keys": [{"id": "a", "key": "x", "scopes": ["read"], "rate": 3}]}"#, "keys[0].rate"),
        (#"{"keys": [{"id": "a", "key": "x", "scopes": ["read"], "burst": 0}]}"#, "keys[0].burst"),
    ])
    func rejects(text: String, keyPath: String) {
        do {
            _ = try APIKeyFile.decode(Array(text.utf8), file: "keys.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.keyPath == keyPath, "\(error)")
        }
    }
}
