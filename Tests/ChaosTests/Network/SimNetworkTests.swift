import Platform
import Testing

@testable import Chaos

@Suite struct SimNetworkTests {
    static let start = Instant(secondsSinceEpoch: 1_780_000_000)
    static let seeds: [UInt64] = Array(1...20)

    static var router: Router {
        var router = Router()
        router.get("/health") { _, _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
        router.post("/echo") { request, _ in HTTPResponse(body: request.body) }
        return router
    }

    /// Status and body: what must survive the trip (the wire adds Content-Length).
    static func summary(_ response: HTTPResponse) -> String {
        "\(response.status.code) \(String(decoding: response.body, as: UTF8.self))"
    }

    static func requests(_ count: Int) -> [HTTPRequest] {
        (0..<count).map { index in
            index % 2 == 0
                ? HTTPRequest(method: .get, target: "/health", headers: ["Host": "sim"])
                : HTTPRequest(method: .post, target: "/echo", headers: ["Host": "sim"], body: Array("body \(index)".utf8))
        }
    }

    @Test("over a network that splits every write at random, every response arrives whole and in order", arguments: seeds)
    func segmentation(seed: UInt64) {
        var network = SimNetwork(seed: seed, faults: NetworkFaults(jitterMax: .milliseconds(3), segmentBytesMax: 7))
        let batches = [Self.requests(6), Self.requests(3)]
        let outcomes = SimHTTPExchange.run(router: Self.router, requests: batches, network: &network, start: Self.start)
        for (batch, outcome) in zip(batches, outcomes) {
            #expect(outcome.responses.map(Self.summary) == batch.map { Self.summary(Self.router.respond(to: $0)) }, "seed \(seed)")
            #expect(outcome.error == nil)
        }
    }

    @Test("latency delays a response by one round trip in virtual time")
    func latency() {
        var network = SimNetwork(seed: 1, faults: NetworkFaults(latency: .milliseconds(40)))
        let outcome = SimHTTPExchange.run(router: Self.router, requests: [Self.requests(1)], network: &network, start: Self.start)[0]
        #expect(outcome.lastResponseAt == Self.start + .milliseconds(80))
    }

    @Test("dropped segments are retransmitted: the stream stays whole but arrives later")
    func drops() {
        var network = SimNetwork(seed: 3, faults: NetworkFaults(segmentBytesMax: 10, dropProbability: 0.3))
        let outcome = SimHTTPExchange.run(router: Self.router, requests: [Self.requests(4)], network: &network, start: Self.start)[0]
        #expect(outcome.responses.count == 4)
        #expect((outcome.lastResponseAt ?? Self.start) >= Self.start + .milliseconds(200))
    }

    @Test("a slow reader receives at its pace")
    func slowRead() {
        var network = SimNetwork(seed: 4, faults: NetworkFaults(segmentBytesMax: 16, slowReadBytesPerSecond: 100))
        let outcome = SimHTTPExchange.run(router: Self.router, requests: [Self.requests(1)], network: &network, start: Self.start)[0]
        #expect(outcome.responses.count == 1)
        // ~50 request bytes in and ~90 response bytes out at 100 bytes per second.
        #expect((outcome.lastResponseAt ?? Self.start) >= Self.start + .seconds(1))
    }

    @Test("resets and truncations end conversations early without a crash or a wrong response", arguments: seeds)
    func resetsAndTruncations(seed: UInt64) {
        var network = SimNetwork(seed: seed, faults: NetworkFaults(segmentBytesMax: 20, resetProbability: 0.05, truncateProbability: 0.05))
        let batches = (0..<5).map { _ in Self.requests(4) }
        let outcomes = SimHTTPExchange.run(router: Self.router, requests: batches, network: &network, start: Self.start)
        for (batch, outcome) in zip(batches, outcomes) {
            // Whatever arrived is a correct prefix of the answers.
            let expected = batch.map { Self.summary(Self.router.respond(to: $0)) }
            let prefix = outcome.responses.filter { $0.status.code != 400 }.map(Self.summary)
            #expect(Array(expected.prefix(prefix.count)) == prefix, "seed \(seed)")
        }
    }

    @Test("the same seed replays the same deliveries")
    func determinism() {
        func trace(_ seed: UInt64) -> [SimNetwork.Delivery] {
            var network = SimNetwork(seed: seed, faults: NetworkFaults(jitterMax: .milliseconds(5), segmentBytesMax: 9, dropProbability: 0.1))
            let connection = network.connect()
            network.send(Array(repeating: 7, count: 200), on: connection, from: .client, at: Self.start)
            network.close(connection, from: .client, at: Self.start)
            var deliveries: [SimNetwork.Delivery] = []
            while let delivery = network.nextDelivery() { deliveries.append(delivery) }
            return deliveries
        }
        #expect(trace(9) == trace(9))
        #expect(trace(9) != trace(10))
        let bytes: [UInt8] = trace(9).flatMap { delivery -> [UInt8] in
            if case .bytes(let b) = delivery.payload { return b }
            return []
        }
        #expect(bytes == [UInt8](repeating: 7, count: 200))
        #expect(trace(9).last?.payload == .closed)
    }
}
