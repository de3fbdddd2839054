import Platform
import Testing

@testable import Chaos

/// Answers every request with 200 and a body naming the path and arrival instant.
private struct EchoBroker: BrokerEndpoint {
    var received: [Instant] = []
    mutating func respond(to request: BrokerRequest, at now: Instant) -> (response: BrokerResponse, processing: Duration) {
        received.append(now)
        return (BrokerResponse(status: 200, body: Array("{\"path\":\"\(request.path)\",\"at\":\(now.nanosecondsSinceEpoch)}".utf8)), .zero)
    }
}

/// Sends `count` requests one second apart with a 500 ms deadline and records the outcomes.
private struct Client: SimComponent {
    let name = "client"
    let count: Int
    var results: [String] = []

    func start(at now: Instant) -> [WorldEffect] { [.scheduleTimer(tag: 0, at: now)] }

    mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        switch input {
        case .timer(let tag):
            var effects: [WorldEffect] = [
                .deliver(to: "link", input: .brokerRequest(from: name, id: RequestID(tag), request: BrokerRequest(method: "GET", path: "/quote"),
                                                           deadline: now + .milliseconds(500)), at: now)
            ]
            if Int(tag) + 1 < count { effects.append(.scheduleTimer(tag: tag + 1, at: now + .seconds(1))) }
            return effects
        case .brokerCompleted(let id, let result):
            let outcome: String
            switch result {
            case .success(let response): outcome = "\(response.status):\(response.body.count)"
            case .failure(let failure): outcome = "\(failure)"
            }
            return [.log(kind: "outcome", fields: [LogField("id", .int(Int64(id.rawValue))), LogField("outcome", .string(outcome))])]
        case .brokerRequest, .apiRequest, .apiResponse, .tickerCommand, .tickerEvent:
            return []
        }
    }
}

@Suite struct BrokerLinkTests {
    static let t0 = Instant(secondsSinceEpoch: 1_795_491_900)

    private func run(_ faults: LinkFaults, count: Int = 200, seed: UInt64 = 1) -> (outcomes: [String], digest: Digest) {
        var lines: [String] = []
        var world = World(
            start: Self.t0, end: Self.t0 + .seconds(Int64(count) + 5),
            components: [Client(count: count), BrokerLink(endpoint: EchoBroker(), faults: faults, seed: seed)],
            log: EventLog(output: { lines.append(String(decoding: $0, as: UTF8.self)) }))
        let outcome = world.run()
        let outcomes = lines.joined().split(separator: "\n").filter { $0.contains("\"outcome\"") }.map(String.init)
        return (outcomes, outcome.digest)
    }

    @Test("on a clean link every request completes with the broker's response, in order")
    func clean() {
        let result = run(.clean)
        #expect(result.outcomes.count == 200)
        #expect(result.outcomes.allSatisfy { $0.contains(#""outcome":"200:"#) })
    }

    @Test("every request completes exactly once under drops, resets, truncation and outages", arguments: [1, 2, 3] as [UInt64])
    func faultsNeverLoseCompletions(seed: UInt64) {
        let faults = LinkFaults(
            latencyMedianMilliseconds: 50, latencyP99Milliseconds: 600, dropProbability: 0.1, resetProbability: 0.1,
            truncateProbability: 0.1, outages: [Self.t0 + .seconds(50)...Self.t0 + .seconds(60)])
        let result = run(faults, seed: seed)
        #expect(result.outcomes.count == 200)
        let ids = result.outcomes.compactMap { line in line.split(separator: ",").first { $0.hasPrefix("\"id\"") } }
        #expect(Set(ids).count == 200)
        let text = result.outcomes.joined(separator: "\n")
        #expect(text.contains("no response within"))
        #expect(text.contains("connection reset"))
        #expect(text.contains("connection refused"))
        // Same seed, same run; another seed, another run.
        #expect(run(faults, seed: seed).digest == result.digest)
        #expect(run(faults, seed: seed + 10).digest != result.digest)
    }

    @Test("log-normal latency has the configured median and 99th percentile")
    func latencyDistribution() {
        let faults = LinkFaults(latencyMedianMilliseconds: 20, latencyP99Milliseconds: 200)
        let random = CounterRandom(seed: 5)
        let samples = (0..<20_000).map { faults.latency(random: random, stream: 1, index: UInt64($0)).wholeNanoseconds }.sorted()
        let median = Double(samples[10_000]) / 1e6
        let p99 = Double(samples[19_800]) / 1e6
        #expect(abs(median - 20) < 1)
        #expect(abs(p99 - 200) < 20)
    }
}

import MarketSim
