import MarketSim
import Platform

/// A simulated API consumer: requests at Poisson arrivals to a seeded mix of routes.
///
/// Each client is a world component (`load-1`, `load-2`, …) that sends `.apiRequest` to the
/// platform (`collector`) and logs every answer with its status and latency, so load and chaos
/// scenarios exercise the same API code a browser or script would, in virtual time.
public struct APILoadClient: SimComponent {
    public let name: String
    public let requestsPerSecond: Double
    public let routes: [String]
    public let indices: [String]
    private let random: CounterRandom
    private let stream: UInt64
    private var sent: UInt64 = 0
    private var sentAt: [UInt64: Instant] = [:]
    public private(set) var statuses: [Int: Int] = [:]

    /// Route names a client can use.
    public static let routeNames = ["chain", "analytics", "surface", "history", "indices", "expiries"]

    public init(number: Int, requestsPerSecond: Double, routes: [String], indices: [String], seed: UInt64) {
        precondition(requestsPerSecond > 0, "load client rate must be positive")
        precondition(!routes.isEmpty && routes.allSatisfy(Self.routeNames.contains), "unknown load route in \(routes)")
        self.name = "load-\(number)"
        self.requestsPerSecond = requestsPerSecond
        self.routes = routes
        self.indices = indices
        self.random = CounterRandom(seed: seed)
        self.stream = CounterRandom.stream("load/\(number)")
    }

    private func nextArrival(after now: Instant) -> Instant {
        let seconds = random.exponential(stream: stream, index: sent &* 4, mean: 1 / requestsPerSecond)
        return now + .nanoseconds(Int64(seconds * 1e9))
    }

    public func start(at now: Instant) -> [WorldEffect] {
        [.scheduleTimer(tag: 0, at: nextArrival(after: now))]
    }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        switch input {
        case .timer:
            sent += 1
            let pick = random.uniform(stream: stream, index: sent &* 4 &+ 1)
            let route = routes[min(routes.count - 1, Int(pick * Double(routes.count)))]
            let index = indices[min(indices.count - 1, Int(random.uniform(stream: stream, index: sent &* 4 &+ 2) * Double(indices.count)))]
            sentAt[sent] = now
            precondition(sentAt.count <= 100_000, "\(name) has \(sentAt.count) unanswered requests")
            return [
                .deliver(to: "collector", input: .apiRequest(from: name, id: sent, request: request(route, index: index, at: now)), at: now),
                .scheduleTimer(tag: 0, at: nextArrival(after: now)),
            ]
        case .apiResponse(let id, let response):
            statuses[response.status, default: 0] += 1
            let latency = sentAt.removeValue(forKey: id).map { (now - $0).wholeNanoseconds / 1000 } ?? -1
            return [.log(kind: "api_response", fields: [
                LogField("id", .int(Int64(id))), LogField("status", .int(Int64(response.status))),
                LogField("latency_us", .int(latency)),
            ])]
        case .brokerRequest, .brokerCompleted, .apiRequest, .tickerCommand, .tickerEvent:
            return []
        }
    }

    private func request(_ route: String, index: String, at now: Instant) -> APIRequest {
        let headers = [HeaderField("X-API-Key", CollectorComponent.loadKey)]
        switch route {
        case "chain": return APIRequest(method: "GET", path: "/v1/chain/\(index)", query: [QueryItem("strikes", "10")], headers: headers)
        case "analytics": return APIRequest(method: "GET", path: "/v1/analytics/\(index)", headers: headers)
        case "surface": return APIRequest(method: "GET", path: "/v1/surface/\(index)", headers: headers)
        case "indices": return APIRequest(method: "GET", path: "/v1/indices", headers: headers)
        case "expiries": return APIRequest(method: "GET", path: "/v1/indices/\(index)/expiries", headers: headers)
        default:
            return APIRequest(method: "GET", path: "/v1/history/\(index)", query: [
                QueryItem("from", (now - .seconds(60)).description), QueryItem("to", now.description), QueryItem("limit", "500"),
            ], headers: headers)
        }
    }
}
