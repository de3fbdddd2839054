import MarketSim
import Platform

/// `BrokerBridge.kiteRequest` remembering the last query and headers it mapped, so a request
/// repeating them (a collector's poll sends the same arrays every second) reuses their mapping.
///
/// Reuse needs equal contents, not only the same storage: `==` on arrays answers at once when
/// both share storage and compares item by item otherwise, so a changed, reordered or new list
/// is always mapped afresh. The mock broker then sees the same query array poll after poll too,
/// which its own memory of the last quote keys recognises by identity.
struct KiteRequestMemo: Sendable {
    private var query: (from: [QueryItem], to: [KiteField]) = ([], [])
    private var headers: (from: [HeaderField], to: [KiteField]) = ([], [])

    /// The mock broker's view of `request`, as `BrokerBridge.kiteRequest` gives it.
    mutating func kiteRequest(_ request: BrokerRequest) -> KiteHTTPRequest {
        if request.query != query.from { query = (request.query, request.query.map { KiteField($0.name, $0.value) }) }
        if request.headers != headers.from {
            headers = (request.headers, request.headers.map { KiteField($0.name, $0.value) })
        }
        return KiteHTTPRequest(method: request.method, path: request.path, query: query.to, headers: headers.to,
                               body: request.body)
    }
}
