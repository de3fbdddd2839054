import Platform

/// Runs HTTP clients against an `HTTPServerConnection` over a `SimNetwork`, all in virtual time:
/// the same codec the live server uses, with the network's faults in between.
///
/// Each client sends its requests pipelined at the start instant and reads responses with an
/// `HTTPResponseParser`; the server connection answers as bytes arrive. The run ends when nothing
/// is in flight. The outcome lists, per client, the responses in order and how the stream ended.
public struct SimHTTPExchange {
    /// How one client's conversation ended.
    public struct ClientOutcome: Sendable, Equatable {
        public var responses: [HTTPResponse] = []
        /// The response parser's error, if the stream was cut mid-response or was invalid.
        public var error: HTTPParseError?
        public var wasReset = false
        public var serverClosed = false
        /// Virtual time of the last response.
        public var lastResponseAt: Instant?
    }

    /// Sends `requests[i]` on connection i (all pipelined at `start`) and returns each outcome.
    public static func run(
        router: Router, requests: [[HTTPRequest]], network: inout SimNetwork, start: Instant,
        limits: HTTPParserLimits = .standard
    ) -> [ClientOutcome] {
        var servers: [HTTPServerConnection] = []
        var parsers: [HTTPResponseParser] = []
        var outcomes = [ClientOutcome](repeating: ClientOutcome(), count: requests.count)
        var serverDone = [Bool](repeating: false, count: requests.count)
        for batch in requests {
            let connection = network.connect()
            servers.append(HTTPServerConnection(router: router, limits: limits, now: start))
            parsers.append(HTTPResponseParser())
            var wire: [UInt8] = []
            for request in batch { request.serialize(into: &wire) }
            network.send(wire, on: connection, from: .client, at: start)
        }
        while let delivery = network.nextDelivery() {
            let id = delivery.connection
            switch (delivery.to, delivery.payload) {
            case (.server, .bytes(let bytes)):
                guard !serverDone[id] else { continue }
                var out: [UInt8] = []
                let action = servers[id].received(bytes, now: delivery.time, into: &out)
                network.send(out, on: id, from: .server, at: delivery.time)
                if action != .continue {
                    serverDone[id] = true
                    network.close(id, from: .server, at: delivery.time)
                }
            case (.server, .closed):
                if !serverDone[id] {
                    serverDone[id] = true
                    network.close(id, from: .server, at: delivery.time)
                }
            case (.client, .bytes(let bytes)):
                parsers[id].append(contentsOf: bytes)
                readResponses(&parsers[id], into: &outcomes[id], at: delivery.time)
            case (.client, .closed):
                outcomes[id].serverClosed = true
                if case .error(let error) = parsers[id].endOfStream() { outcomes[id].error = error }
            case (_, .reset):
                outcomes[id].wasReset = delivery.to == .client ? true : outcomes[id].wasReset
                serverDone[id] = true
            }
        }
        return outcomes
    }

    private static func readResponses(_ parser: inout HTTPResponseParser, into outcome: inout ClientOutcome, at now: Instant) {
        while true {
            switch parser.next() {
            case .response(let response):
                outcome.responses.append(response)
                outcome.lastResponseAt = now
            case .needMoreData:
                return
            case .error(let error):
                outcome.error = error
                return
            }
        }
    }
}
