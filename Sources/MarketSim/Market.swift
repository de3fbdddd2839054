/// The simulated market for one trading session: a pure function of (seed, instrument, time).
///
/// Building a `Market` simulates every requested index's path through the session (about 5 ms per
/// index); everything else — surfaces, chains, quotes, trades, open interest — is computed on
/// demand from (seed, contract, second) with counter-based randomness, so asking twice, in any
/// order, from any component, gives the same answer. Prices leave as integer paise or ticks.
///
/// ```swift
/// let market = try Market(seed: 7, date: TradingDate(year: 2026, month: 11, day: 23))
/// let chain = try market.chain(index: "NIFTY", expiry: nil, at: market.close)
/// let quote = market.quote(token: chain.expiries[0].rows[0].contract.instrumentToken, at: market.close)
/// ```
public struct Market: Sendable {
    public let seed: UInt64
    public let spec: MarketSpec
    /// The session simulated.
    public let date: TradingDate
    /// The indices simulated, in the order asked.
    public let indices: [IndexSpec]
    let random: CounterRandom
    let skeleton: DailySkeleton
    /// Paths and catalogs by index number (0…7); nil for indices not simulated.
    let paths: [IntradayPath?]
    let catalogs: [ContractCatalog?]
    /// Contract lookup by instrument token (never iterated).
    let contractsByToken: [Int64: Contract]
    /// Market-wide circuit-breaker halts of the session, in time order (none unless an index moves 10%).
    public let halts: [MarketHalt]
    /// Slices at each minute's first second, by index number, then expiry position, then minute:
    /// the states trade intensities are drawn from, computed once per market.
    private(set) var minuteSlices: [[[ExpirySlice]]] = []
    /// The on-demand quote path's tables: (index, expiry) groups, per-contract terms by dense id
    /// (catalog order, index by index), and token → id.
    private(set) var quoteGroups: [QuoteGroup] = []
    private(set) var quoteTerms: [QuoteTerms] = []
    private(set) var contractIDs = TokenTable([])

    /// Every index the standard spec supports.
    public static var allIndices: [String] { MarketSpec.standard.indices.map(\.name) }

    /// Simulates the session of `date` for `indices` (all supported indices by default).
    public init(seed: UInt64, date: TradingDate, indices: [String]? = nil, spec: MarketSpec = .standard)
        throws(MarketError)
    {
        guard date >= spec.simulatedFrom, date <= spec.simulatedTo else {
            throw .dateOutOfRange(date, from: spec.simulatedFrom, to: spec.simulatedTo)
        }
        guard spec.calendar.isTradingDay(date) else {
            throw .notATradingDay(date, lastSession: spec.calendar.tradingDay(before: date))
        }
        var chosen: [IndexSpec] = []
        for name in indices ?? spec.indices.map(\.name) {
            guard let index = spec.index(named: name) else {
                throw .unknownIndex(name, known: spec.indices.map(\.name))
            }
            if !chosen.contains(where: { $0.name == name }) { chosen.append(index) }
        }
        self.seed = seed
        self.spec = spec
        self.date = date
        self.indices = chosen
        self.random = CounterRandom(seed: seed)
        let skeleton = DailySkeleton(seed: seed, spec: spec)
        self.skeleton = skeleton
        var paths = [IntradayPath?](repeating: nil, count: 8)
        var catalogs = [ContractCatalog?](repeating: nil, count: 8)
        var byToken: [Int64: Contract] = [:]
        for index in chosen {
            guard let day = skeleton.day(index: index.number, date: date) else {
                throw .dateOutOfRange(date, from: index.anchorDate, to: spec.simulatedTo)
            }
            paths[index.number] = IntradayPath(
                seed: seed, spec: index, day: day, sessionSeconds: spec.calendar.sessionSeconds,
                shocks: spec.shocks.filter { $0.applies(to: index.name, on: date) })
            let catalog = ContractCatalog(spec: spec, index: index, date: date, skeleton: skeleton)
            for contract in catalog.contracts { byToken[contract.instrumentToken] = contract }
            catalogs[index.number] = catalog
        }
        self.paths = paths
        halts = spec.circuitBreakers ? Market.halts(seed: seed, date: date, spec: spec, skeleton: skeleton, paths: paths) : []
        self.catalogs = catalogs
        self.contractsByToken = byToken
        var table = [[[ExpirySlice]]](repeating: [], count: 8)
        for index in chosen {
            table[index.number] = catalogs[index.number]!.expiries.map { entry in
                stride(from: 0, through: sessionSeconds, by: 60).map {
                    slice(index, expiry: entry.listing.date, second: $0)
                }
            }
        }
        minuteSlices = table
        (quoteGroups, quoteTerms) = Market.quoteTables(
            indices: chosen, catalogs: catalogs, minuteSlices: table, random: random)
        contractIDs = TokenTable(quoteTerms.map(\.token))
    }

    /// The session's open and close instants.
    public var open: MarketTime { spec.calendar.time(date, secondOfSession: 0) }
    public var close: MarketTime { spec.calendar.time(date, secondOfSession: spec.calendar.sessionSeconds) }

    /// Seconds in the session (22,500).
    public var sessionSeconds: Int { spec.calendar.sessionSeconds }

    /// The whole second of the session at `time` (the close for instants after it); while trading is
    /// halted (`halts`), the last traded second, so every answer stays as it was when the halt began.
    public func secondOfSession(_ time: MarketTime) throws(MarketError) -> Int {
        guard time.istDate == date, time.istSecondOfDay >= spec.calendar.openSecond else {
            throw .outsideSession(time, session: date)
        }
        return tradedSecond(min(time.istSecondOfDay - spec.calendar.openSecond, sessionSeconds))
    }

    /// `second`, or the last traded second when it falls in a halt.
    public func tradedSecond(_ second: Int) -> Int {
        guard !halts.isEmpty, let halt = halts.first(where: { $0.contains(second) }) else { return second }
        return halt.lastTradedSecond
    }

    /// The halt in force at `second` (of the session), if any.
    public func halt(at second: Int) -> MarketHalt? { halts.first { $0.contains(second) } }

    /// The circuit-breaker halts from the trigger indices' paths (computed here when not simulated).
    static func halts(seed: UInt64, date: TradingDate, spec: MarketSpec, skeleton: DailySkeleton, paths: [IntradayPath?])
        -> [MarketHalt]
    {
        var triggers: [(index: String, level: [Double], previousClose: Double)] = []
        for name in MarketHalt.triggerIndices {
            guard let index = spec.index(named: name), let day = skeleton.day(index: index.number, date: date) else { continue }
            let path = paths[index.number] ?? IntradayPath(
                seed: seed, spec: index, day: day, sessionSeconds: spec.calendar.sessionSeconds,
                shocks: spec.shocks.filter { $0.applies(to: name, on: date) })
            triggers.append((name, path.level, path.previousClose))
        }
        return MarketHalt.circuitBreaker(triggers, openSecond: spec.calendar.openSecond, sessionSeconds: spec.calendar.sessionSeconds)
    }

    /// The spec of a simulated index.
    public func index(named name: String) throws(MarketError) -> IndexSpec {
        guard let index = indices.first(where: { $0.name == name }) else {
            throw .unknownIndex(name, known: indices.map(\.name))
        }
        return index
    }

    /// Expiries listed for `index` in this session, nearest first, with bucket names.
    public func expiries(index name: String) throws(MarketError) -> [ExpiryListing] {
        try catalog(name).expiries.map(\.listing)
    }

    /// The index level at `second`, in paise (rounded to 0.01); inside a halt, the last traded second's.
    public func indexLevelPaise(index name: String, second: Int) throws(MarketError) -> Int64 {
        let index = try index(named: name)
        return Int64((paths[index.number]!.level[tradedSecond(second)] * 100).rounded())
    }

    func catalog(_ name: String) throws(MarketError) -> ContractCatalog {
        catalogs[try index(named: name).number]!
    }

    /// The contract with this instrument token, if listed in this session.
    public func contract(token: Int64) -> Contract? { contractsByToken[token] }
}

/// Why a market question cannot be answered, in words a user can act on.
public enum MarketError: Error, CustomStringConvertible, Equatable, Sendable {
    case dateOutOfRange(TradingDate, from: TradingDate, to: TradingDate)
    case notATradingDay(TradingDate, lastSession: TradingDate)
    case unknownIndex(String, known: [String])
    case unknownExpiry(TradingDate, index: String, listed: [TradingDate])
    case outsideSession(MarketTime, session: TradingDate)

    public var description: String {
        switch self {
        case .dateOutOfRange(let date, let from, let to):
            return "\(date) is outside the simulated range \(from) … \(to)"
        case .notATradingDay(let date, let last):
            return "\(date) is not a trading day (weekend or exchange holiday); the last session before it was \(last)"
        case .unknownIndex(let name, let known):
            return "unknown index '\(name)' (known: \(known.joined(separator: ", ")))"
        case .unknownExpiry(let date, let index, let listed):
            return "\(index) has no expiry on \(date) (listed: \(listed.map(\.description).joined(separator: ", ")))"
        case .outsideSession(let time, let session):
            return "\(time) is not inside the \(session) session"
        }
    }
}
