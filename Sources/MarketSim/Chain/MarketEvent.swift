/// The market's events at one second, in the fixed processing order of market-invariants.md §5.
///
/// Within one timestamp: resume → underlying → surface → quotes → trades → open interest →
/// settlement → halt. A circuit-breaker halt (`MarketHalt`) is one `halt` event per index at its first
/// halted second, then nothing until the second trading resumes, which opens with `resume`.
/// Each event carries a sequence number that increases through the second and across seconds,
/// so sorting a stream by (time, sequence) never reorders it.
public struct MarketEvent: Sendable, Equatable {
    /// Event kinds in processing order.
    public enum Kind: Int, Sendable, Comparable {
        case resume, underlying, surface, quote, trade, openInterest, settlement, halt

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var time: MarketTime
    /// secondOfSession × 10⁶ + position within the second.
    public var sequence: Int64
    public var kind: Kind
    /// Spot token for underlying, settlement, halt and resume events; the contract's token otherwise; 0 for surfaces.
    public var token: Int64
    /// Expiry for surface and settlement events.
    public var expiry: TradingDate?
    /// Underlying: level (paise). Quote: bid (ticks). Trade: price (ticks). OI: open interest.
    /// Settlement: final settlement price (paise). Surface: ATM total variance × 10¹².
    /// Halt and resume: the limit crossed (10, 15 or 20, in %).
    public var value: Int64
    /// Quote: ask (ticks). Trade: quantity. Halt: the second of the session trading resumes at
    /// (`sessionSeconds + 1` for the rest of the day). Otherwise 0.
    public var secondValue: Int64
}

extension Market {
    /// Every event of every simulated index at second `s`, in processing order: all underlyings,
    /// then all surfaces, quotes, trades, open interest and settlements (indices in the order
    /// simulated within each kind), numbered by one sequence.
    public func events(second s: Int) throws(MarketError) -> [MarketEvent] {
        var all: [MarketEvent] = []
        for index in indices { all += try events(index: index.name, second: s) }
        var ordered: [MarketEvent] = []
        ordered.reserveCapacity(all.count)
        for kind in [MarketEvent.Kind.resume, .underlying, .surface, .quote, .trade, .openInterest, .settlement, .halt] {
            for event in all where event.kind == kind {
                var renumbered = event
                renumbered.sequence = Int64(s) * 1_000_000 + Int64(ordered.count)
                ordered.append(renumbered)
            }
        }
        return ordered
    }

    /// Every event of `index` at second `s` of the session, in processing order: inside a halt, only the
    /// `halt` event at its first second (and an expiry's settlement at the close).
    public func events(index name: String, second s: Int) throws(MarketError) -> [MarketEvent] {
        let index = try index(named: name)
        if let halt = halt(at: s) {
            if s == halt.lastTradedSecond + 1 {
                return [MarketEvent(time: spec.calendar.time(date, secondOfSession: s), sequence: Int64(s) * 1_000_000, kind: .halt,
                                    token: index.spotToken, expiry: nil, value: Int64(halt.limitPercent),
                                    secondValue: Int64(halt.resumesAt))]
            }
            // Nothing trades while halted; an expiring contract still settles at the close, on the last traded level.
            guard s == sessionSeconds else { return [] }
            let settled = Int64((paths[index.number]!.level[tradedSecond(s)] * 100).rounded())
            return catalogs[index.number]!.expiries.filter { $0.listing.date == date }.map { _ in
                MarketEvent(time: spec.calendar.time(date, secondOfSession: s), sequence: Int64(s) * 1_000_000, kind: .settlement,
                            token: index.spotToken, expiry: date, value: settled, secondValue: 0)
            }
        }
        let catalog = catalogs[index.number]!
        let cache = SliceCache(market: self, index: index)
        let time = spec.calendar.time(date, secondOfSession: s)
        var events: [MarketEvent] = []
        func emit(_ kind: MarketEvent.Kind, token: Int64, expiry: TradingDate? = nil, _ value: Int64, _ second: Int64 = 0) {
            events.append(
                MarketEvent(time: time, sequence: Int64(s) * 1_000_000 + Int64(events.count), kind: kind, token: token,
                            expiry: expiry, value: value, secondValue: second))
        }
        if let resumed = halts.first(where: { $0.resumesAt == s }) {
            emit(.resume, token: index.spotToken, Int64(resumed.limitPercent))
        }
        let level = Int64((paths[index.number]!.level[s] * 100).rounded())
        emit(.underlying, token: index.spotToken, level)
        for entry in catalog.expiries {
            let slice = cache.slice(expiry: entry.listing.date, second: s)
            emit(.surface, token: 0, expiry: entry.listing.date, Int64((slice.theta * 1e12).rounded()))
        }
        for contract in catalog.contracts {
            let slice = cache.slice(expiry: contract.expiry, second: s)
            let quote = contract.right.map { Market.quote(strikePaise: contract.strikePaise, right: $0, slice: slice) }
                ?? Market.futureQuote(slice)
            emit(.quote, token: contract.instrumentToken, quote.bid, quote.ask)
        }
        // Trades at exactly s, then the open interest they leave.
        var traded: [(Contract, TradeTape)] = []
        for contract in catalog.contracts where s < sessionSeconds {
            let stream = CounterRandom.stream(RandomStreams.trades, UInt64(contract.instrumentToken))
            let draws = TradeTape.trades(
                random: random, stream: stream, day: date, minute: s / 60,
                lambda: tradeIntensity(contract, minute: s / 60, cache: cache), sessionSeconds: sessionSeconds, halts: halts)
            guard draws.contains(where: { $0.second == s }) else { continue }
            let before = tradeTape(contract, through: s - 1, cache: cache)
            let after = tradeTape(contract, through: s, cache: cache)
            guard after.tradeCount > before.tradeCount else { continue }
            emit(.trade, token: contract.instrumentToken, after.lastPriceTicks ?? 0, after.volume - before.volume)
            traded.append((contract, after))
        }
        for (contract, tape) in traded { emit(.openInterest, token: contract.instrumentToken, tape.openInterest) }
        if s == sessionSeconds {
            for entry in catalog.expiries where entry.listing.date == date {
                emit(.settlement, token: index.spotToken, expiry: date, level)
            }
        }
        return events
    }
}
