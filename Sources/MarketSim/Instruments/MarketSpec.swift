import Foundation

/// The market's structure: calendar, session, rate, INDIA VIX and the index specs, from a fixture.
///
/// `MarketSpec.standard` is `fixtures/markets/india-index-options.json`, embedded in the binary
/// (`MarketFixtures`) so the CLI works from any directory; a test keeps the two identical.
public struct MarketSpec: Sendable, Equatable {
    /// First and last dates whose sessions may be simulated.
    public var simulatedFrom: TradingDate
    public var simulatedTo: TradingDate
    public var calendar: TradingCalendar
    /// Continuously compounded risk-free rate per year, used to discount option payoffs.
    public var riskFreeRate: Double
    public var vix: VIXSpec
    /// Index specs in fixture order.
    public var indices: [IndexSpec]
    /// Scheduled jumps and volatility windows (a scenario's `market.events`); none in the fixture.
    public var shocks: [MarketShock] = []
    /// Whether SEBI's market-wide circuit breaker halts trading (`MarketHalt`); on by default.
    public var circuitBreakers = true

    /// The spec with the given derivatives name (e.g. `NIFTY`), if supported.
    public func index(named name: String) -> IndexSpec? { indices.first { $0.name == name } }

    /// The built-in NSE/BSE spec.
    public static let standard: MarketSpec = {
        do {
            return try MarketSpec.decode(Array(MarketFixtures.indiaIndexOptions.utf8))
        } catch {
            preconditionFailure("embedded market fixture is invalid: \(error)")
        }
    }()
}

/// How INDIA VIX is listed and computed.
public struct VIXSpec: Sendable, Equatable {
    public var spotSymbol: String
    public var exchange: String
    public var spotToken: Int64
    /// Constant maturity of the volatility index, in calendar days.
    public var targetDays: Int
}

/// A market fixture that cannot be used, with the key at fault.
public struct MarketSpecError: Error, CustomStringConvertible, Equatable {
    public var keyPath: String
    public var problem: String
    public var description: String { "market fixture: \(keyPath): \(problem)" }
}

extension MarketSpec {
    /// Decodes and validates a market fixture (UTF-8 JSON).
    public static func decode(_ bytes: [UInt8]) throws(MarketSpecError) -> MarketSpec {
        let raw: RawSpec
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            raw = try decoder.decode(RawSpec.self, from: Data(bytes))
        } catch {
            throw MarketSpecError(keyPath: "(document)", problem: "not a valid market fixture: \(error)")
        }
        func date(_ text: String, _ path: String) throws(MarketSpecError) -> TradingDate {
            guard let value = TradingDate(iso: text) else {
                throw MarketSpecError(keyPath: path, problem: "expected a YYYY-MM-DD date, found '\(text)'")
            }
            return value
        }
        func clock(_ text: String, _ path: String) throws(MarketSpecError) -> Int {
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 3, parts[0] < 24, parts[1] < 60, parts[2] < 60 else {
                throw MarketSpecError(keyPath: path, problem: "expected HH:MM:SS, found '\(text)'")
            }
            return parts[0] * 3600 + parts[1] * 60 + parts[2]
        }
        var holidays: [TradingDate] = []
        for (i, text) in raw.holidays.enumerated() { holidays.append(try date(text, "holidays[\(i)]")) }
        var indices: [IndexSpec] = []
        for (i, index) in raw.indices.enumerated() {
            let path = "indices[\(i)]"
            var lots: [DatedLot] = []
            for (j, lot) in index.lots.enumerated() {
                guard lot.lot > 0 else { throw MarketSpecError(keyPath: "\(path).lots[\(j)].lot", problem: "must be > 0") }
                lots.append(DatedLot(expiryFrom: try date(lot.expiryFrom, "\(path).lots[\(j)]"), lot: lot.lot))
            }
            func rules(_ list: [RawSpec.Rule], _ key: String) throws(MarketSpecError) -> [WeekdayRule] {
                var out: [WeekdayRule] = []
                for (j, rule) in list.enumerated() {
                    guard (1...5).contains(rule.weekday) else {
                        throw MarketSpecError(keyPath: "\(path).\(key)[\(j)].weekday", problem: "expected 1 (Mon) … 5 (Fri)")
                    }
                    var to: TradingDate?
                    if let text = rule.expiryTo { to = try date(text, "\(path).\(key)[\(j)].expiry_to") }
                    out.append(
                        WeekdayRule(expiryFrom: try date(rule.expiryFrom, "\(path).\(key)[\(j)].expiry_from"),
                                    expiryTo: to, isoWeekday: rule.weekday))
                }
                return out
            }
            guard !lots.isEmpty, !index.monthly.isEmpty else {
                throw MarketSpecError(keyPath: path, problem: "needs at least one lot and one monthly rule")
            }
            guard index.strikeStep > 0, index.strikesEachSide > 0, (0...7).contains(index.number) else {
                throw MarketSpecError(keyPath: path, problem: "strike_step and strikes_each_side must be > 0, number 0…7")
            }
            let m = index.model
            guard m.vol > 0, m.volOfVol >= 0, m.beta > 0, m.beta <= 1, abs(m.skewRho) < 1, m.smileEta > 0 else {
                throw MarketSpecError(keyPath: "\(path).model", problem: "needs vol > 0, 0 < beta ≤ 1, |skew_rho| < 1, smile_eta > 0")
            }
            indices.append(
                IndexSpec(
                    name: index.name, spotSymbol: index.spotSymbol, exchange: index.exchange,
                    foExchange: index.foExchange, spotToken: index.spotToken, foSegmentCode: index.foSegmentCode,
                    number: index.number, strikeStepPaise: index.strikeStep * 100,
                    strikesEachSide: index.strikesEachSide, weekliesListed: index.weekliesListed,
                    monthliesListed: index.monthliesListed, anchorDate: try date(index.anchor.date, "\(path).anchor.date"),
                    anchorLevel: index.anchor.level, dividendYield: index.dividendYield,
                    model: IndexModel(
                        vol: m.vol, volOfVol: m.volOfVol, beta: m.beta, jumpsPerDay: m.jumpsPerDay,
                        jumpMean: m.jumpMean, jumpVol: m.jumpVol, gapVol: m.gapVol, skewRho: m.skewRho,
                        smileEta: m.smileEta, variancePremium: m.variancePremium, tradesPerMinute: m.tradesPerMinute),
                    lots: lots, weekly: try rules(index.weekly, "weekly"), monthly: try rules(index.monthly, "monthly")))
        }
        return MarketSpec(
            simulatedFrom: try date(raw.simulatedDates.from, "simulated_dates.from"),
            simulatedTo: try date(raw.simulatedDates.to, "simulated_dates.to"),
            calendar: TradingCalendar(
                holidays: holidays, openSecond: try clock(raw.session.open, "session.open"),
                closeSecond: try clock(raw.session.close, "session.close")),
            riskFreeRate: raw.riskFreeRate,
            vix: VIXSpec(spotSymbol: raw.vix.spotSymbol, exchange: raw.vix.exchange, spotToken: raw.vix.spotToken,
                         targetDays: raw.vix.targetDays),
            indices: indices)
    }
}

/// The fixture's JSON shape, decoded with snake_case keys.
private struct RawSpec: Decodable {
    struct Dates: Decodable { var from: String; var to: String }
    struct Session: Decodable { var open: String; var close: String }
    struct VIX: Decodable { var spotSymbol: String; var exchange: String; var spotToken: Int64; var targetDays: Int }
    struct Anchor: Decodable { var date: String; var level: Double }
    struct Lot: Decodable { var expiryFrom: String; var lot: Int64 }
    struct Rule: Decodable { var expiryFrom: String; var expiryTo: String?; var weekday: Int }
    struct Model: Decodable {
        var vol, volOfVol, beta, jumpsPerDay, jumpMean, jumpVol, gapVol, skewRho, smileEta, variancePremium,
            tradesPerMinute: Double
    }
    struct Index: Decodable {
        var name, spotSymbol, exchange, foExchange: String
        var spotToken, foSegmentCode: Int64
        var number: Int
        var strikeStep: Int64
        var strikesEachSide, weekliesListed, monthliesListed: Int
        var anchor: Anchor
        var dividendYield: Double
        var model: Model
        var lots: [Lot]
        var weekly: [Rule]
        var monthly: [Rule]
    }
    var schemaVersion: Int
    var simulatedDates: Dates
    var session: Session
    var riskFreeRate: Double
    var holidays: [String]
    var vix: VIX
    var indices: [Index]
}
