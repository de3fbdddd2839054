import Chaos
import Foundation
import MarketSim

/// `opsim chain --index NIFTY --at T [--seed N] [--expiry D] [--format csv|json] [--list-expiries]`.
enum ChainCommand {
    static let command = Commands.Command(
        name: "chain", summary: "print a simulated option chain at an instant",
        help: """
            Usage: opsim chain --index NAME --at TIME [--seed N] [--scenario FILE] [--expiry YYYY-MM-DD] [--format csv|json]
                   opsim chain --list-expiries --index NAME --at TIME [--seed N] [--scenario FILE]

            Prints the full simulated chain of index NAME (\(Market.allIndices.joined(separator: ", "))) at
            TIME (ISO 8601 with offset, e.g. 2026-11-24T10:00:00+05:30). The market is a pure function of
            (seed, instrument, time): the same arguments always print the same chain.

            CSV columns: tradingsymbol,instrument_token,expiry,strike,type,bid,ask,ltp,volume,oi,
            underlying,future,true_iv (prices in rupees; volume and oi in units; true_iv is the generator's
            implied volatility as a fraction). An instant outside the session prints the closing chain of
            the last session before it and says so on stderr.

            Pricing: Black-76 on the expiry's future (the forward S·e^((r−q)T) on the 0.05 tick), discount
            e^(−rT) with r = \(MarketSpec.standard.riskFreeRate) (fixtures/markets), T in years (ACT/365) to 15:30 IST
            on expiry day. Quotes bracket the model price; the quoted mid is within ¼ tick of it.

            Options:
              --index NAME       index to show (required)
              --at TIME          instant, ISO 8601 with Z or an offset (required)
              --seed N           market seed (default 1, or the scenario's; decimal or 0x-hex)
              --scenario FILE    the market of a scenario: its seed and its `market` section (model
                                 overrides, scheduled jumps and volatility spikes), as `opsim run` serves it
              --expiry DATE      only this expiry (YYYY-MM-DD; see --list-expiries)
              --format F         csv (default) or json
              --list-expiries    list the listed expiries with their bucket names instead

            Exit status: 0 ok, 2 bad usage or input.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valueOptions: ["--index", "--at", "--seed", "--scenario", "--expiry", "--format"],
            flagOptions: ["--list-expiries"])
        guard parsed.positionals.isEmpty else {
            throw .usage("chain takes no positional arguments, got '\(parsed.positionals[0])'")
        }
        guard let indexName = parsed.value("--index") else { throw .usage("chain needs --index NAME") }
        guard let atText = parsed.value("--at") else { throw .usage("chain needs --at TIME (e.g. 2026-11-24T10:00:00+05:30)") }
        guard let at = MarketTime(iso: atText) else {
            throw .usage("--at expects an ISO 8601 instant with an offset such as 2026-11-24T10:00:00+05:30, got '\(atText)'")
        }
        var scenario: Scenario?
        if let path = parsed.value("--scenario") {
            do { scenario = try ScenarioDecoder.load(path: path) } catch { throw .input(error.description) }
        }
        let seed = try parsed.uint64("--seed") ?? scenario?.seed ?? 1
        let format = parsed.value("--format") ?? "csv"
        guard format == "csv" || format == "json" else { throw .usage("--format expects csv or json, got '\(format)'") }
        var expiry: TradingDate?
        if let text = parsed.value("--expiry") {
            guard let date = TradingDate(iso: text) else { throw .usage("--expiry expects YYYY-MM-DD, got '\(text)'") }
            expiry = date
        }
        let spec = scenario?.market?.spec(from: .standard) ?? .standard
        guard spec.index(named: indexName) != nil else {
            throw .input("unknown index '\(indexName)' (known: \(Market.allIndices.joined(separator: ", ")))")
        }
        let (date, time) = try resolveSession(at, spec: spec)
        if let scenario, scenario.market?.events.isEmpty == false, date.daysSinceEpoch != Int(scenario.sessionDate.daysSinceEpoch) {
            printError("opsim: note: the scenario's market events are for \(scenario.sessionDate), not \(date); this chain has none of them")
        }
        let market: Market
        do {
            market = try Market(seed: seed, date: date, indices: [indexName], spec: spec)
        } catch {
            throw .input(error.description)
        }
        if parsed.has("--list-expiries") {
            print(listing(try mapped { () throws(MarketError) in try market.expiries(index: indexName) }))
            return 0
        }
        let open = spec.calendar.openSecond
        if let halt = market.halt(at: min(max(0, time.istSecondOfDay - open), market.sessionSeconds)) {
            let resumes = halt.resumesAt > market.sessionSeconds ? "the close" : ScenarioDecoder.formatTime(open + halt.resumesAt)
            printError("opsim: trading is halted (market-wide circuit breaker, \(halt.index) moved \(halt.limitPercent)%) until \(resumes); showing the last traded second, \(ScenarioDecoder.formatTime(open + halt.lastTradedSecond))")
        }
        let chain = try mapped { () throws(MarketError) in try market.chain(index: indexName, expiry: expiry, at: time) }
        print(format == "csv" ? ChainFormat.csv(chain) : ChainFormat.json(chain, seed: seed), terminator: "")
        return 0
    }

    /// The session date and instant to show: `at` itself inside a session, else the last close before it.
    static func resolveSession(_ at: MarketTime, spec: MarketSpec) throws(CLIError) -> (TradingDate, MarketTime) {
        let date = at.istDate
        guard date >= spec.simulatedFrom, date <= spec.simulatedTo.adding(days: 1) else {
            throw .input("\(at) is outside the simulated range \(spec.simulatedFrom) … \(spec.simulatedTo)")
        }
        switch spec.calendar.session(at: at) {
        case .open(let day, let second):
            return (day, spec.calendar.time(day, secondOfSession: second))
        case .closed(let last):
            guard last >= spec.simulatedFrom else {
                throw .input("\(at) is before the first simulated session (\(spec.simulatedFrom))")
            }
            let close = spec.calendar.time(last, secondOfSession: spec.calendar.sessionSeconds)
            let reason = !spec.calendar.isTradingDay(date)
                ? "\(date) is not a trading day" : "\(at) is outside the 09:15–15:30 IST session"
            printError("opsim: \(reason); showing the closing chain of \(last) at \(close)")
            return (last, close)
        }
    }

    static func listing(_ expiries: [ExpiryListing]) -> String {
        (["expiry,bucket,kind"] + expiries.map { "\($0.date),\($0.buckets.joined(separator: "+")),\($0.isMonthly ? "monthly" : "weekly")" })
            .joined(separator: "\n")
    }

    static func mapped<T>(_ body: () throws(MarketError) -> T) throws(CLIError) -> T {
        do { return try body() } catch { throw .input(error.description) }
    }
}
