import MarketSim
import Platform

extension ScenarioDecoder {
    /// Reads the `market` section: `indices` (model overrides per index) and `events` (jumps and
    /// volatility windows inside the market's session, 09:15–15:30 IST).
    static func decodeMarket(_ value: JSONValue, _ parent: ScenarioReader, indices: [String], date: CivilDate)
        throws(ScenarioError) -> Scenario.MarketSection
    {
        var reader = try parent.object(value, at: "market")
        var section = Scenario.MarketSection()
        if let value = try reader.optional("indices") {
            var byIndex = try reader.object(value, at: "indices")
            for symbol in Scenario.indicesSupported {
                guard let item = try byIndex.optional(symbol) else { continue }
                guard indices.contains(symbol) else {
                    throw .invalidValue(file: reader.file, keyPath: byIndex.keyPath(symbol),
                                        expected: "an index listed in indices (\(indices.joined(separator: ", ")))",
                                        found: JSONWriter.quoted(symbol))
                }
                section.models.append(try decodeModel(item, byIndex, symbol: symbol))
            }
            try byIndex.finish()
        }
        if let value = try reader.optional("events") {
            let calendar = MarketSpec.standard.calendar
            let day = TradingDate(daysSinceEpoch: Int(date.daysSinceEpoch))
            for (position, item) in try reader.array(value, at: "events").enumerated() {
                section.events.append(
                    try decodeEvent(item, reader, at: "events[\(position)]", indices: indices, day: day, calendar: calendar))
            }
        }
        if let value = try reader.optional("circuit_breakers") {
            guard case .bool(let on) = value else {
                throw .wrongType(file: reader.file, keyPath: reader.keyPath("circuit_breakers"), expected: "true or false",
                                 found: value.typeDescription)
            }
            section.circuitBreakers = on
        }
        try reader.finish()
        return section
    }

    private static func decodeModel(_ value: JSONValue, _ parent: ScenarioReader, symbol: String)
        throws(ScenarioError) -> Scenario.IndexModelOverride
    {
        var reader = try parent.object(value, at: symbol)
        var model = Scenario.IndexModelOverride(index: symbol)
        func read(_ key: String, _ range: ClosedRange<Double>) throws(ScenarioError) -> Double? {
            guard let value = try reader.optional(key) else { return nil }
            return try reader.number(value, at: key, in: range)
        }
        model.vol = try read("vol", 0.01...3)
        model.volOfVol = try read("vol_of_vol", 0...3)
        model.beta = try read("beta", 0.01...1)
        model.jumpsPerDay = try read("jumps_per_day", 0...20)
        model.jumpMean = try read("jump_mean", -0.2...0.2)
        model.jumpVol = try read("jump_vol", 0...0.2)
        model.gapVol = try read("gap_vol", 0...0.2)
        model.skewRho = try read("skew_rho", -0.99...0.99)
        model.smileEta = try read("smile_eta", 0.01...2)
        model.variancePremium = try read("variance_premium", 0.2...5)
        model.tradesPerMinute = try read("trades_per_minute", 0...10_000)
        // SSVI is free of butterfly arbitrage only while η(1 + |ρ|) ≤ 2 (Gatheral–Jacquier).
        let standard = MarketSpec.standard.index(named: symbol)!.model
        let rho = model.skewRho ?? standard.skewRho, eta = model.smileEta ?? standard.smileEta
        guard eta * (1 + abs(rho)) <= 2 else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath(model.smileEta != nil ? "smile_eta" : "skew_rho"),
                                expected: "smile_eta × (1 + |skew_rho|) ≤ 2 (no butterfly arbitrage); at skew_rho \(rho), smile_eta ≤ \(SSVI.etaMax(rho: rho))",
                                found: "smile_eta \(eta)")
        }
        try reader.finish()
        return model
    }

    private static func decodeEvent(
        _ value: JSONValue, _ parent: ScenarioReader, at key: String, indices: [String], day: TradingDate,
        calendar: TradingCalendar
    ) throws(ScenarioError) -> MarketShock {
        var reader = try parent.object(value, at: key)
        let type = try reader.choice("type", allowed: ["jump", "vol_spike"], default: "")
        guard !type.isEmpty else {
            throw .missingKey(file: reader.file, keyPath: reader.keyPath("type"), expected: "\"jump\" or \"vol_spike\"")
        }
        var index: String?
        if let value = try reader.optional("index") {
            let symbol = try reader.string(value, at: "index")
            guard indices.contains(symbol) else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath("index"),
                                    expected: "an index listed in indices (\(indices.joined(separator: ", "))), or no key for all",
                                    found: JSONWriter.quoted(symbol))
            }
            index = symbol
        }
        func sessionSecond(_ name: String) throws(ScenarioError) -> Int {
            let second = try reader.timeOfDay(reader.required(name, expected: "a time HH:MM[:SS] (IST)"), at: name)
            guard second >= calendar.openSecond, second <= calendar.closeSecond else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath(name),
                                    expected: "a time in the market's session (\(formatTime(calendar.openSecond))–\(formatTime(calendar.closeSecond)) IST)",
                                    found: JSONWriter.quoted(formatTime(second)))
            }
            return second - calendar.openSecond
        }
        let shock: MarketShock
        if type == "jump" {
            let at = try sessionSecond("at")
            guard at < calendar.sessionSeconds else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath("at"), expected: "a time before the close",
                                    found: JSONWriter.quoted(formatTime(calendar.closeSecond)))
            }
            let percent = try reader.number(
                reader.required("return_percent", expected: "the jump in percent, e.g. -4 for a 4% fall"),
                at: "return_percent", in: -30...30)
            shock = MarketShock(date: day, second: at, index: index, kind: .jump(logReturn: PortableMath.log(1 + percent / 100)))
        } else {
            let from = try sessionSecond("from")
            let to = try sessionSecond("to")
            guard to > from else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath("to"), expected: "a time after from",
                                    found: JSONWriter.quoted(formatTime(calendar.openSecond + to)))
            }
            let factor = try reader.number(
                reader.required("factor", expected: "the volatility multiplier, e.g. 2 to double it"), at: "factor", in: 0.1...10)
            shock = MarketShock(date: day, second: from, index: index, kind: .volatility(factor: factor, untilSecond: to))
        }
        try reader.finish()
        return shock
    }
}
