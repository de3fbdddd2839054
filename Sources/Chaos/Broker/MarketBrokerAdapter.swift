import MarketSim
import Platform
import Synchronization

/// Serves the market model to the mock broker: one `Market` per trading day, built on demand.
///
/// The broker asks about instruments, quotes and candles at instants; this adapter finds the
/// session for the instant's IST date, builds its `Market` once (about 5 ms per index) and keeps a
/// few recent sessions, each with a `QuoteCache` (so a quote call's contracts share slices and
/// trade tapes extend between calls). Answers are pure functions of (seed, token, instant), so
/// neither cache changes a result. Thread-safe, so the live server's loops can share one adapter.
public final class MarketBrokerAdapter: BrokerMarket, Sendable {
    public let seed: UInt64
    public let indices: [String]
    /// The market's structure and model, with any scenario overrides and scheduled shocks.
    public let spec: MarketSpec
    /// Recent days, most recent last; a nil session marks a day that cannot be simulated.
    private let sessions = Mutex<[(date: TradingDate, session: Session?)]>([])
    static let sessionsKept = 4

    /// One simulated trading day: its market and quote cache.
    final class Session: Sendable {
        let market: Market
        let cache: QuoteCache

        init(market: Market) {
            self.market = market
            cache = QuoteCache(market: market)
        }

        /// The market's quote through the session's cache. (A method, so the session stays alive
        /// across the call and the market is borrowed in place: read from outside, the optimiser
        /// copies the whole `Market`, retaining each of its arrays, on every quote.)
        func quote(token: Int64, at time: MarketTime) -> MarketQuote? {
            market.quote(token: token, at: time, cache: cache)
        }

        /// `MarketBrokerAdapter.writeQuote`, the quote encoded where it is converted (no copies returned).
        func writeQuote(token: UInt32, at time: MarketTime, kind: KiteQuoteKind, to out: inout KiteByteWriter) -> Bool {
            guard let second = try? market.secondOfSession(time) else { return false }
            return writeQuote(token: token, tradedSecond: second, kind: kind, to: &out)
        }

        /// `writeQuote(token:at:kind:to:)` at a second already resolved by `Market.secondOfSession(_:)`.
        func writeQuote(token: UInt32, tradedSecond second: Int, kind: KiteQuoteKind, to out: inout KiteByteWriter) -> Bool {
            market.writeKiteQuote(token: token, tradedSecond: second, cache: cache, kind: kind, to: &out)
        }
    }

    public init(seed: UInt64, indices: [String], spec: MarketSpec = .standard) {
        self.seed = seed
        self.indices = indices
        self.spec = spec
    }

    /// The market of the session on `date`, or nil when it is not a simulated trading day.
    public func market(on date: TradingDate) -> Market? { session(on: date)?.market }

    /// The session on `date`, built on first use, or nil when the day cannot be simulated.
    func session(on date: TradingDate) -> Session? {
        if let hit = sessions.withLock({ list in list.last { $0.date == date } }) { return hit.session }
        let built = (try? Market(seed: seed, date: date, indices: indices, spec: spec)).map(Session.init)
        return sessions.withLock { list in
            if let raced = list.last(where: { $0.date == date }) { return raced.session }
            list.append((date, built))
            if list.count > Self.sessionsKept { list.removeFirst() }
            return built
        }
    }

    static func tradingDate(_ date: KiteDate) -> TradingDate {
        TradingDate(year: date.year, month: date.month, day: date.day)
    }

    static func marketTime(_ instant: KiteInstant) -> MarketTime { MarketTime(nanosecondsSinceEpoch: instant.nanosecondsSinceEpoch) }

    public func instruments(on date: KiteDate) -> [KiteInstrument] {
        let day = Self.tradingDate(date)
        guard let market = market(on: day), let list = try? market.instruments(on: day) else { return [] }
        return list.map { instrument in
            KiteInstrument(
                instrumentToken: UInt32(instrument.instrumentToken), exchangeToken: UInt32(instrument.exchangeToken),
                tradingsymbol: instrument.tradingsymbol, name: instrument.name, lastPricePaise: instrument.lastPricePaise,
                expiry: instrument.expiry.flatMap { KiteDate(year: $0.year, month: $0.month, day: $0.day) },
                strikePaise: instrument.strikePaise, tickSizePaise: instrument.tickSizePaise, lotSize: instrument.lotSize,
                instrumentType: instrument.instrumentType, segment: instrument.segment, exchange: instrument.exchange)
        }
    }

    public func quote(token: UInt32, at instant: KiteInstant) -> KiteQuote? {
        let time = Self.marketTime(instant)
        guard let quote = session(on: time.istDate)?.quote(token: Int64(token), at: time) else { return nil }
        return Self.kiteQuote(quote, token: token)
    }

    public func writeQuote(token: UInt32, at instant: KiteInstant, kind: KiteQuoteKind, to out: inout KiteByteWriter) -> Bool {
        let time = Self.marketTime(instant)
        guard let session = session(on: time.istDate) else { return false }
        return session.writeQuote(token: token, at: time, kind: kind, to: &out)
    }

    /// Resolves the session and second of `instant` once, then writes each entry from them.
    public func withQuoteWriter<Result>(at instant: KiteInstant, _ body: (KiteQuoteWriter) -> Result) -> Result {
        let time = Self.marketTime(instant)
        guard let session = session(on: time.istDate), let second = try? session.market.secondOfSession(time) else {
            return body { _, _, _ in false }
        }
        // The market is borrowed from a local for the whole call: read through the session on
        // every entry, the optimiser copies the whole `Market` (248 bytes) to pass it. The cache
        // is locked once for the call (`body` only writes entries through the writer).
        let market = session.market
        return market.withKiteQuoteWriter(tradedSecond: second, cache: session.cache, body)
    }

    public func isTradingHalted(at instant: KiteInstant) -> Bool {
        let time = Self.marketTime(instant)
        guard let market = market(on: time.istDate), !market.halts.isEmpty else { return false }
        return market.halt(at: time.istSecondOfDay - market.spec.calendar.openSecond) != nil
    }

    /// Whether every second of the minute starting at `time` lies inside one circuit-breaker halt.
    static func haltedThroughout(minuteStarting time: MarketTime, in adapter: MarketBrokerAdapter) -> Bool {
        guard let market = adapter.market(on: time.istDate), !market.halts.isEmpty else { return false }
        let first = time.istSecondOfDay - market.spec.calendar.openSecond
        guard let halt = market.halt(at: first) else { return false }
        return halt.contains(first + 59)
    }
    /// The broker's view of the market's quote of `token` (`KiteQuote(_:token:)`).
    @inline(__always)
    static func kiteQuote(_ quote: MarketQuote, token: UInt32) -> KiteQuote { KiteQuote(quote, token: token) }

    /// One-minute candles from the quote at each minute's start and end plus two interior samples:
    /// open and close exact, high and low over the samples, volume the change in cumulative volume.
    /// Minutes wholly inside a circuit-breaker halt have no candle.
    public func minuteCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle] {
        var candles: [KiteCandle] = []
        var start = (from.nanosecondsSinceEpoch + 59_999_999_999) / 60_000_000_000 * 60_000_000_000
        while start <= to.nanosecondsSinceEpoch, candles.count < 100_000 {
            if Self.haltedThroughout(minuteStarting: MarketTime(nanosecondsSinceEpoch: start), in: self) {
                start += 60_000_000_000  // nothing traded: no candle, as on the exchange
                continue
            }
            let samples = [0, 20, 40, 59].compactMap { second in
                quote(token: token, at: KiteInstant(nanosecondsSinceEpoch: start + Int64(second) * 1_000_000_000))
            }
            if let first = samples.first, let last = samples.last, last.volume >= first.volume || first.volume == 0 {
                let prices = samples.map(\.lastPricePaise)
                let previous = quote(token: token, at: KiteInstant(nanosecondsSinceEpoch: start - 1_000_000_000))
                let volume = last.volume - (previous.map { min($0.volume, last.volume) } ?? 0)
                candles.append(KiteCandle(
                    start: KiteInstant(nanosecondsSinceEpoch: start), openPaise: first.lastPricePaise, highPaise: prices.max()!,
                    lowPaise: prices.min()!, closePaise: last.lastPricePaise, volume: max(0, volume), oi: last.oi))
            }
            start += 60_000_000_000
        }
        return candles
    }
}
