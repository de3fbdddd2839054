import MarketSim
import Platform

/// The simulated ticker WebSocket between the collector and the mock broker, as component `ticker`.
///
/// How this works: the collector's ticker commands (connect, send text, close) reach the
/// broker's side after a one-way latency drawn from the link's profile. A connect takes a slot
/// in a `KiteTickerRegistry` (≤ 3 per key; beyond that, or during a link outage, it is refused
/// with `.closed`) and opens a MarketSim `KiteTickerConnection`; texts go through its parser,
/// and any `{"type":"error"}` answer travels back. Once a virtual second, each open connection
/// with subscriptions sends one binary frame of its tokens' packets for that second (full mode
/// once the collector asks for it), delivered after a latency draw; heartbeats are not sent,
/// since the collector ignores them. Seeded faults drop connections at a Poisson rate and at
/// listed instants; a drop reaches the collector as `.closed` after the latency. Credentials are
/// not checked here (the REST path exercises the session book). Every connect, drop and frame
/// is logged, so the digest covers the stream.
public struct TickerLink<Market: BrokerMarket>: SimComponent {
    public let name = CollectorComponent.tickerLinkName
    static var secondTag: UInt64 { 0 }
    static var client: String { "collector" }
    static var pendingMax: Int { 10_000 }

    private let market: Market
    private let faults: LinkFaults
    private let random: CounterRandom
    private let commandStream = CounterRandom.stream("ticker-commands")
    private let frameStream = CounterRandom.stream("ticker-frames")
    private var registry = KiteTickerRegistry()
    /// Open connections by the collector's connection number: registry id and broker-side state.
    private var open: [Int: (id: UInt64, connection: KiteTickerConnection)] = [:]
    private var pending: [UInt64: TickerCommand] = [:]
    private var sequence: UInt64 = 0
    private var secondsElapsed: UInt64 = 0
    private var disconnectsDue: [Instant]
    /// The last arrival scheduled on each connection, each way: a WebSocket runs over TCP, so
    /// messages keep their order even when latency draws would swap them.
    private var lastToBroker: [Int: Instant] = [:]
    private var lastToClient: [Int: Instant] = [:]

    public init(market: Market, faults: LinkFaults, seed: UInt64) {
        self.market = market
        self.faults = faults
        self.random = CounterRandom(seed: seed)
        self.disconnectsDue = faults.tickerDisconnects.sorted()
    }

    public func start(at now: Instant) -> [WorldEffect] {
        let second = Instant(secondsSinceEpoch: now.nanosecondsSinceEpoch.floorDivided(by: 1_000_000_000) + 1)
        return [.scheduleTimer(tag: Self.secondTag, at: second)]
    }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        switch input {
        case .tickerCommand(let command):
            sequence += 1
            precondition(pending.count < Self.pendingMax, "ticker commands in flight \(pending.count) reached \(Self.pendingMax)")
            pending[sequence] = command
            let number = Self.connection(of: command)
            let arrival = max(now + faults.latency(random: random, stream: commandStream, index: sequence &* 4), lastToBroker[number] ?? now)
            lastToBroker[number] = arrival
            return [.scheduleTimer(tag: sequence, at: arrival)]
        case .timer(Self.secondTag):
            return second(at: now)
        case .timer(let tag):
            guard let command = pending.removeValue(forKey: tag) else { return [] }
            return arrive(command, draw: tag, at: now)
        case .brokerRequest, .brokerCompleted, .apiRequest, .apiResponse, .tickerEvent:
            return []
        }
    }

    /// The collector's event `event`, delivered after the latency of draw `index` of `stream`, in order.
    private mutating func deliver(_ event: TickerEvent, at now: Instant, stream: UInt64, index: UInt64) -> WorldEffect {
        let number: Int
        switch event {
        case .opened(let connection), .closed(let connection, _), .binary(let connection, _), .text(let connection, _): number = connection
        }
        let arrival = max(now + faults.latency(random: random, stream: stream, index: index), lastToClient[number] ?? now)
        lastToClient[number] = arrival
        return .deliver(to: Self.client, input: .tickerEvent(event), at: arrival)
    }

    static func connection(of command: TickerCommand) -> Int {
        switch command {
        case .connect(let connection, _), .send(let connection, _), .close(let connection): return connection
        }
    }

    private mutating func arrive(_ command: TickerCommand, draw: UInt64, at now: Instant) -> [WorldEffect] {
        switch command {
        case .connect(let number, _):
            if let stale = open.removeValue(forKey: number) { registry.disconnect(stale.id) }
            if faults.isInOutage(now) {
                return [log("ticker_refused", number, [LogField("reason", .string("outage"))]),
                        deliver(.closed(connection: number, reason: "connection refused (outage)"), at: now, stream: commandStream, index: draw &* 4 &+ 1)]
            }
            switch registry.connect(apiKey: Self.client) {
            case .failure(let limit):
                return [log("ticker_refused", number, [LogField("reason", .string("limit"))]),
                        deliver(.closed(connection: number, reason: limit.description), at: now, stream: commandStream, index: draw &* 4 &+ 1)]
            case .success(let id):
                open[number] = (id, KiteTickerConnection())
                return [log("ticker_accepted", number, []),
                        deliver(.opened(connection: number), at: now, stream: commandStream, index: draw &* 4 &+ 1)]
            }
        case .send(let number, let text):
            guard var entry = open[number] else { return [] }
            let outputs = entry.connection.receive(text: text)
            open[number] = entry
            var effects: [WorldEffect] = []
            for (position, output) in outputs.enumerated() {
                switch output {
                case .text(let bytes), .binary(let bytes):
                    effects.append(deliver(.text(connection: number, bytes), at: now, stream: commandStream, index: draw &* 4 &+ 2 &+ UInt64(position)))
                }
            }
            return effects
        case .close(let number):
            if let entry = open.removeValue(forKey: number) { registry.disconnect(entry.id) }
            return [log("ticker_client_closed", number, [])]
        }
    }

    /// One virtual second: apply due disconnects, then send each open connection its frame.
    private mutating func second(at now: Instant) -> [WorldEffect] {
        secondsElapsed += 1
        var effects: [WorldEffect] = [.scheduleTimer(tag: Self.secondTag, at: now + .seconds(1))]
        var dropAll = faults.isInOutage(now)
        while let due = disconnectsDue.first, due <= now {
            disconnectsDue.removeFirst()
            dropAll = true
        }
        let instant = BrokerBridge.kiteInstant(now)
        for number in open.keys.sorted() {
            let draw = secondsElapsed &* 16 &+ UInt64(number) &* 2
            let perSecond = faults.tickerDisconnectsPerHour / 3600
            if dropAll || random.uniform(stream: frameStream, index: draw) < perSecond {
                let entry = open.removeValue(forKey: number)!
                registry.disconnect(entry.id)
                effects.append(log("ticker_dropped", number, [LogField("fault", .string(dropAll ? "scheduled" : "random"))]))
                effects.append(deliver(.closed(connection: number, reason: "connection reset (simulated fault)"),
                                       at: now, stream: frameStream, index: draw &+ 1))
                continue
            }
            for output in open[number]!.connection.tick(at: instant, market: market) {
                guard case .binary(let frame) = output, frame.count > 1 else { continue }
                let packets = Int(frame[0]) << 8 | Int(frame[1])
                effects.append(log("ticker_frame", number, [LogField("packets", .int(Int64(packets))), LogField("bytes", .int(Int64(frame.count)))]))
                effects.append(deliver(.binary(connection: number, frame), at: now, stream: frameStream, index: draw &+ 1))
            }
        }
        return effects
    }

    private func log(_ kind: String, _ connection: Int, _ fields: [LogField]) -> WorldEffect {
        .log(kind: kind, fields: [LogField("connection", .int(Int64(connection)))] + fields)
    }

    /// Connections open on the broker's side now.
    public var openConnections: Int { open.count }
}
