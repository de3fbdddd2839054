import MarketSim
import Platform

/// Something that answers broker requests in virtual time: the mock broker, in memory.
public protocol BrokerEndpoint {
    /// Answers `request` as received at `now`, with the time the server took to produce it.
    mutating func respond(to request: BrokerRequest, at now: Instant) -> (response: BrokerResponse, processing: Duration)
}

/// The simulated network between the platform and the broker, as a world component named `link`.
///
/// How this works: a component sends `.brokerRequest` to `link`. The link draws a one-way latency
/// and the request's fate from the fault profile. A dropped request completes as a timeout at its
/// deadline; otherwise it arrives at the broker after the latency (an `arrival` timer), the broker
/// answers at that instant, and the response (possibly reset or truncated) travels back with a
/// second latency draw. A response that would land after the deadline completes as a timeout at
/// the deadline instead. Every request and completion is logged. Requests in flight are bounded.
public struct BrokerLink: SimComponent {
    public let name = "link"
    public static let inFlightMax = 10_000

    private var endpoint: any BrokerEndpoint
    private let faults: LinkFaults
    private let random: CounterRandom
    private let stream = CounterRandom.stream("link")
    private var sequence: UInt64 = 0
    private var inFlight: [UInt64: Pending] = [:]

    struct Pending {
        var from: String
        var id: RequestID
        var request: BrokerRequest
        var deadline: Instant
        var sentAt: Instant
        var sequence: UInt64
    }

    public init(endpoint: any BrokerEndpoint, faults: LinkFaults, seed: UInt64) {
        self.endpoint = endpoint
        self.faults = faults
        self.random = CounterRandom(seed: seed)
    }

    public func start(at now: Instant) -> [WorldEffect] { [] }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        switch input {
        case .brokerRequest(let from, let id, let request, let deadline):
            return send(from: from, id: id, request: request, deadline: deadline, at: now)
        case .timer(let tag):
            guard let pending = inFlight.removeValue(forKey: tag) else { return [] }
            return arrive(pending, at: now)
        case .brokerCompleted, .apiRequest, .apiResponse, .tickerCommand, .tickerEvent:
            return []
        }
    }

    /// Draw `k` of this request: each request uses its own block of indices.
    private func uniform(_ sequence: UInt64, _ k: UInt64) -> Double {
        random.uniform(stream: stream, index: sequence &* 8 &+ k)
    }

    private mutating func send(from: String, id: RequestID, request: BrokerRequest, deadline: Instant, at now: Instant) -> [WorldEffect] {
        sequence += 1
        let pending = Pending(from: from, id: id, request: request, deadline: deadline, sentAt: now, sequence: sequence)
        var effects: [WorldEffect] = [
            .log(kind: "request", fields: [
                LogField("from", .string(from)), LogField("id", .int(Int64(clamping: id.rawValue))),
                LogField("method", .string(request.method)), LogField("path", .string(request.path)),
                LogField("query_items", .int(Int64(request.query.count))),
            ])
        ]
        if faults.isInOutage(now) {
            return effects + complete(pending, .failure(.connectionRefused), at: now, fault: "outage")
        }
        if uniform(sequence, 0) < faults.dropProbability {
            return effects + complete(pending, .failure(.timeout(afterMilliseconds: (deadline - now).wholeNanoseconds / 1_000_000)),
                                      at: deadline, fault: "drop")
        }
        precondition(inFlight.count < Self.inFlightMax, "link in-flight requests \(inFlight.count) reached \(Self.inFlightMax)")
        inFlight[sequence] = pending
        let arrival = now + faults.latency(random: random, stream: stream, index: sequence &* 8 &+ 1)
        effects.append(.scheduleTimer(tag: sequence, at: arrival))
        return effects
    }

    private mutating func arrive(_ pending: Pending, at now: Instant) -> [WorldEffect] {
        var (response, processing) = endpoint.respond(to: pending.request, at: now)
        let back = now + processing + faults.latency(random: random, stream: stream, index: pending.sequence &* 8 &+ 2)
        var fault = "none"
        var result: BrokerResult = .success(response)
        if uniform(pending.sequence, 3) < faults.resetProbability {
            result = .failure(.connectionReset)
            fault = "reset"
        } else if !response.body.isEmpty, uniform(pending.sequence, 4) < faults.truncateProbability {
            let keep = Int(uniform(pending.sequence, 5) * Double(response.body.count))
            response.body.removeLast(response.body.count - keep)
            result = .success(response)
            fault = "truncate"
        }
        if back > pending.deadline {
            let waited = (pending.deadline - pending.sentAt).wholeNanoseconds / 1_000_000
            return complete(pending, .failure(.timeout(afterMilliseconds: waited)), at: pending.deadline, fault: "late")
        }
        return complete(pending, result, at: back, fault: fault)
    }

    private func complete(_ pending: Pending, _ result: BrokerResult, at time: Instant, fault: String) -> [WorldEffect] {
        var fields = [LogField("to", .string(pending.from)), LogField("id", .int(Int64(clamping: pending.id.rawValue)))]
        switch result {
        case .success(let response):
            fields.append(LogField("status", .int(Int64(response.status))))
            fields.append(LogField("bytes", .int(Int64(response.body.count))))
        case .failure(let failure):
            fields.append(LogField("failure", .string(failure.description)))
        }
        fields.append(LogField("fault", .string(fault)))
        fields.append(LogField("latency_us", .int((time - pending.sentAt).wholeNanoseconds / 1000)))
        return [
            .log(kind: "response", fields: fields),
            .deliver(to: pending.from, input: .brokerCompleted(id: pending.id, result: result), at: time),
        ]
    }
}
