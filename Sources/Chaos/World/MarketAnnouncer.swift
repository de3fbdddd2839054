import MarketSim
import Platform

/// Logs what the market itself does in a run with a collector: each scheduled shock as it
/// lands, and each circuit-breaker halt and resumption (`MarketHalt`), so the event log, its digest
/// and the run report show when the market moved or stopped.
///
/// It only reads the broker's market (a pure function of seed and spec) and schedules timers; it
/// changes nothing the platform sees. On a day without shocks or halts it neither schedules nor logs
/// anything, so it leaves such runs' logs and digests as they were.
public struct MarketAnnouncer: SimComponent {
    public let name = "market"
    let market: MarketBrokerAdapter
    let date: CivilDate
    let end: Instant
    /// What to log and when, in time order (filled at start).
    private var agenda: [(at: Instant, kind: String, fields: [LogField])] = []

    public init(market: MarketBrokerAdapter, date: CivilDate, end: Instant) {
        self.market = market
        self.date = date
        self.end = end
    }

    public mutating func start(at now: Instant) -> [WorldEffect] {
        let day = TradingDate(daysSinceEpoch: Int(date.daysSinceEpoch))
        let open = market.spec.calendar.openSecond
        func instant(_ second: Int) -> Instant { ISO8601.instant(date, hour: 0, minute: 0, second: open + second) }
        var items: [(at: Instant, kind: String, fields: [LogField])] = []
        for shock in market.spec.shocks where shock.date == day {
            let target = LogField("index", .string(shock.index ?? "all"))
            switch shock.kind {
            case .jump(let logReturn):
                items.append((instant(shock.second + 1), "jump", [target, LogField("log_return", .double(logReturn))]))
            case .volatility(let factor, let until):
                items.append((instant(shock.second), "volatility_window", [
                    target, LogField("factor", .double(factor)), LogField("until", .instant(instant(until))),
                ]))
            }
        }
        for halt in market.market(on: day)?.halts ?? [] {
            let resumes = halt.resumesAt <= market.spec.calendar.sessionSeconds ? instant(halt.resumesAt) : nil
            // A halt already in force when the run starts is announced at the start.
            let begins = instant(halt.lastTradedSecond + 1)
            let at = begins < now && (resumes.map { $0 > now } ?? true) ? now : begins
            items.append((at, "halted", [
                LogField("limit_percent", .int(Int64(halt.limitPercent))), LogField("index", .string(halt.index)),
                LogField("last_traded", .instant(instant(halt.lastTradedSecond))),
                LogField("resumes", resumes.map { .instant($0) } ?? .string("rest of day")),
            ]))
            if let resumes { items.append((resumes, "resumed", [LogField("limit_percent", .int(Int64(halt.limitPercent)))])) }
        }
        // Stable by time: shocks before halts at the same instant, as listed.
        agenda = items.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element).filter { $0.at >= now && $0.at <= end }
        return agenda.enumerated().map { .scheduleTimer(tag: UInt64($0.offset), at: $0.element.at) }
    }

    public mutating func handle(_ input: WorldInput, at now: Instant) -> [WorldEffect] {
        guard case .timer(let tag) = input, Int(tag) < agenda.count else { return [] }
        let item = agenda[Int(tag)]
        return [.log(kind: item.kind, fields: item.fields)]
    }
}
