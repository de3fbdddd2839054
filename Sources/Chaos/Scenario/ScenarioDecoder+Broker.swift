import MarketSim
import Platform

extension ScenarioDecoder {
    /// Decodes the `broker` section into the mock broker's behaviour profile.
    ///
    /// ```json
    /// "broker": {
    ///   "latency_median_ms": 5, "latency_p99_ms": 40,
    ///   "errors": [{ "type": "NetworkException", "probability": 0.01, "status": 503, "route": "quote" }],
    ///   "partial_probability": 0.01, "partial_fraction": 0.1,
    ///   "stale_probability": 0.01, "stale_age_ms": 5000,
    ///   "maintenance": [{ "from": "12:00", "to": "12:05" }],
    ///   "quote_requests_per_second": 1
    /// }
    /// ```
    static func decodeBroker(_ value: JSONValue, _ parent: ScenarioReader) throws(ScenarioError) -> KiteBehaviourProfile {
        var reader = try parent.object(value, at: "broker")
        var profile = KiteBehaviourProfile.perfect
        let median = try reader.number("latency_median_ms", in: 0...60_000, default: 0)
        let p99 = try reader.number("latency_p99_ms", in: 0...600_000, default: median)
        guard p99 >= median else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath("latency_p99_ms"),
                                expected: "at least latency_median_ms (\(median))", found: String(p99))
        }
        if median > 0 {
            let sigma = p99 > median ? PortableMath.log(p99 / median) / 2.326_347_874_040_841 : 0
            profile.latency = sigma == 0
                ? .fixed(nanoseconds: Int64(median * 1e6))
                : .logNormal(medianNanoseconds: Int64(median * 1e6), sigma: sigma, maxNanoseconds: Int64(p99 * 10e6))
        }
        if let value = try reader.optional("errors") {
            for (position, item) in try reader.array(value, at: "errors").enumerated() {
                profile.faults.append(try decodeFault(item, at: "errors[\(position)]", reader))
            }
        }
        profile.partialQuoteProbability = try reader.number("partial_probability", in: 0...1, default: 0)
        profile.partialDropFraction = try reader.number("partial_fraction", in: 0...1, default: 0.1)
        profile.staleQuoteProbability = try reader.number("stale_probability", in: 0...1, default: 0)
        profile.staleAgeNanoseconds = Int64(try reader.number("stale_age_ms", in: 1...3_600_000, default: 5000) * 1e6)
        if let value = try reader.optional("maintenance") {
            for (position, item) in try reader.array(value, at: "maintenance").enumerated() {
                var window = try reader.object(item, at: "maintenance[\(position)]")
                let from = try window.timeOfDay(window.required("from", expected: "a time HH:MM[:SS]"), at: "from")
                let to = try window.timeOfDay(window.required("to", expected: "a time HH:MM[:SS]"), at: "to")
                guard to > from else {
                    throw .invalidValue(file: window.file, keyPath: window.keyPath("to"), expected: "a time after from", found: formatTime(to))
                }
                try window.finish()
                profile.maintenanceWindows.append(KiteMaintenanceWindow(startSecondOfDay: from, endSecondOfDay: to))
            }
        }
        profile.rateLimits.quotePerSecond = Int(try reader.integer("quote_requests_per_second", in: 1...1000, default: 1))
        profile.rateLimits.jitterAllowanceMilliseconds = Int(try reader.integer("rate_limit_jitter_ms", in: 0...999, default: 250))
        try reader.finish()
        return profile
    }

    private static func decodeFault(_ value: JSONValue, at key: String, _ parent: ScenarioReader) throws(ScenarioError) -> KiteInjectedFault {
        var reader = try parent.object(value, at: key)
        let names = [KiteErrorType.token, .permission, .input, .order, .network, .data, .general, .user, .margin, .holding].map(\.rawValue)
        let typeName = try reader.choice("type", allowed: names, default: "")
        guard let type = KiteErrorType(rawValue: typeName) else {
            throw .missingKey(file: reader.file, keyPath: reader.keyPath("type"), expected: "one of \(names.joined(separator: ", "))")
        }
        let probability = try reader.number(reader.required("probability", expected: "a number 0…1"), at: "probability", in: 0...1)
        let status = try reader.optional("status").map { v throws(ScenarioError) in Int(try reader.integer(v, at: "status", in: 400...599)) }
        let routes = ["quote": KiteRouteFamily.quote, "historical": .historical, "orders": .orders, "other": .other]
        let route = try reader.choice("route", allowed: ["all"] + routes.keys.sorted(), default: "all")
        try reader.finish()
        return KiteInjectedFault(type, probability: probability, httpStatus: status, family: routes[route])
    }
}
