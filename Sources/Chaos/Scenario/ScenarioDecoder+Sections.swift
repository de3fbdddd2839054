import Platform

extension ScenarioReader {
    /// A number in `range` (integers and decimals both accepted).
    public func number(_ value: JSONValue, at key: String, in range: ClosedRange<Double>) throws(ScenarioError) -> Double {
        guard case .number(let number) = value else {
            throw .wrongType(file: file, keyPath: keyPath(key), expected: "a number", found: value.typeDescription)
        }
        guard range.contains(number.double) else {
            throw .invalidValue(file: file, keyPath: keyPath(key), expected: "a number in \(range.lowerBound)...\(range.upperBound)",
                                found: number.text)
        }
        return number.double
    }

    /// An optional number in `range`, or `fallback` when absent.
    public mutating func number(_ key: String, in range: ClosedRange<Double>, default fallback: Double) throws(ScenarioError) -> Double {
        guard let value = try optional(key) else { return fallback }
        return try number(value, at: key, in: range)
    }

    /// An optional integer in `range`, or `fallback` when absent.
    public mutating func integer(_ key: String, in range: ClosedRange<Int64>, default fallback: Int64) throws(ScenarioError) -> Int64 {
        guard let value = try optional(key) else { return fallback }
        return try integer(value, at: key, in: range)
    }

    /// An optional string that must be one of `allowed`, or `fallback` when absent.
    public mutating func choice(_ key: String, allowed: [String], default fallback: String) throws(ScenarioError) -> String {
        guard let value = try optional(key) else { return fallback }
        let text = try string(value, at: key)
        guard allowed.contains(text) else {
            throw .invalidValue(file: file, keyPath: keyPath(key), expected: "one of \(allowed.joined(separator: ", "))",
                                found: JSONWriter.quoted(text))
        }
        return text
    }

    /// A time of day `HH:MM[:SS]` (IST) as seconds after midnight.
    public func timeOfDay(_ value: JSONValue, at key: String) throws(ScenarioError) -> Int {
        let text = try string(value, at: key)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { $0.count == 2 ? Int($0) : nil }
        guard (2...3).contains(parts.count), numbers.count == parts.count, numbers[0] < 24, numbers[1] < 60,
              numbers.count == 2 || numbers[2] < 60
        else {
            throw .invalidValue(file: file, keyPath: keyPath(key), expected: "a time HH:MM or HH:MM:SS (IST)", found: JSONWriter.quoted(text))
        }
        return numbers[0] * 3600 + numbers[1] * 60 + (numbers.count == 3 ? numbers[2] : 0)
    }
}

extension ScenarioDecoder {
    static func decodeCollector(_ value: JSONValue, _ parent: ScenarioReader) throws(ScenarioError) -> Scenario.CollectorSection {
        var reader = try parent.object(value, at: "collector")
        var section = Scenario.CollectorSection()
        section.strikesEachSide = Int(try reader.integer("strikes_each_side", in: 0...200, default: 20))
        section.pollIntervalMilliseconds = Int(try reader.integer("poll_interval_ms", in: 100...60_000, default: 1000))
        section.quoteRequestsPerSecond = try reader.number("quote_requests_per_second", in: 0.01...100, default: 1)
        section.atmSource = ATMSource(rawValue: try reader.choice("atm_source", allowed: ["future", "spot"], default: "future"))!
        if let value = try reader.optional("sources") {
            var sources = try reader.object(value, at: "sources")
            for symbol in Scenario.indicesSupported {
                guard try sources.optional(symbol) != nil else { continue }
                let name = try sources.choice(symbol, allowed: CollectorSource.allCases.map(\.rawValue), default: "rest")
                section.sources.append((symbol, CollectorSource(rawValue: name)!))
            }
            try sources.finish()
        }
        if let value = try reader.optional("buckets") {
            let items = try reader.array(value, at: "buckets")
            var buckets: [ExpiryBucket] = []
            for (position, item) in items.enumerated() {
                let text = try reader.string(item, at: "buckets[\(position)]")
                guard let bucket = ExpiryBucket(rawValue: text) else {
                    throw .invalidValue(file: reader.file, keyPath: reader.keyPath("buckets[\(position)]"),
                                        expected: "one of \(ExpiryBucket.allCases.map(\.rawValue).joined(separator: ", "))",
                                        found: JSONWriter.quoted(text))
                }
                buckets.append(bucket)
            }
            guard !buckets.isEmpty else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath("buckets"), expected: "at least one bucket", found: "[]")
            }
            section.buckets = buckets
        }
        try reader.finish()
        return section
    }

    static func decodeLink(_ value: JSONValue, _ parent: ScenarioReader, session: (date: CivilDate, start: Int, end: Int))
        throws(ScenarioError) -> LinkFaults
    {
        var reader = try parent.object(value, at: "link")
        let median = try reader.number("latency_median_ms", in: 0.001...60_000, default: 20)
        let p99 = try reader.number("latency_p99_ms", in: 0.001...600_000, default: max(80, median))
        guard p99 >= median else {
            throw .invalidValue(file: reader.file, keyPath: reader.keyPath("latency_p99_ms"),
                                expected: "at least latency_median_ms (\(median))", found: String(p99))
        }
        let drop = try reader.number("drop_probability", in: 0...1, default: 0)
        let reset = try reader.number("reset_probability", in: 0...1, default: 0)
        let truncate = try reader.number("truncate_probability", in: 0...1, default: 0)
        let tickerRate = try reader.number("ticker_disconnects_per_hour", in: 0...3600, default: 0)
        var tickerDrops: [Instant] = []
        if let value = try reader.optional("ticker_disconnects_at") {
            for (position, item) in try reader.array(value, at: "ticker_disconnects_at").enumerated() {
                let second = try reader.timeOfDay(item, at: "ticker_disconnects_at[\(position)]")
                tickerDrops.append(ISO8601.instant(session.date, hour: 0, minute: 0, second: second))
            }
        }
        var outages: [ClosedRange<Instant>] = []
        if let value = try reader.optional("outages") {
            for (position, item) in try reader.array(value, at: "outages").enumerated() {
                var window = try reader.object(item, at: "outages[\(position)]")
                let from = try window.timeOfDay(window.required("from", expected: "a time HH:MM[:SS]"), at: "from")
                let to = try window.timeOfDay(window.required("to", expected: "a time HH:MM[:SS]"), at: "to")
                guard to > from else {
                    throw .invalidValue(file: window.file, keyPath: window.keyPath("to"), expected: "a time after from",
                                        found: formatTime(to))
                }
                try window.finish()
                outages.append(ISO8601.instant(session.date, hour: 0, minute: 0, second: from)
                               ... ISO8601.instant(session.date, hour: 0, minute: 0, second: to))
            }
        }
        try reader.finish()
        var faults = LinkFaults(latencyMedianMilliseconds: median, latencyP99Milliseconds: p99, dropProbability: drop,
                                resetProbability: reset, truncateProbability: truncate, outages: outages)
        faults.tickerDisconnectsPerHour = tickerRate
        faults.tickerDisconnects = tickerDrops
        return faults
    }
}

extension ScenarioDecoder {
    static func decodeLoad(_ value: JSONValue, _ parent: ScenarioReader) throws(ScenarioError) -> Scenario.LoadSection {
        var reader = try parent.object(value, at: "load")
        var section = Scenario.LoadSection()
        section.clients = Int(try reader.integer("clients", in: 1...1000, default: 1))
        section.requestsPerSecond = try reader.number("requests_per_second", in: 0.001...10_000, default: 1)
        if let value = try reader.optional("routes") {
            var routes: [String] = []
            for (position, item) in try reader.array(value, at: "routes").enumerated() {
                let route = try reader.string(item, at: "routes[\(position)]")
                guard APILoadClient.routeNames.contains(route) else {
                    throw .invalidValue(file: reader.file, keyPath: reader.keyPath("routes[\(position)]"),
                                        expected: "one of \(APILoadClient.routeNames.joined(separator: ", "))", found: JSONWriter.quoted(route))
                }
                routes.append(route)
            }
            guard !routes.isEmpty else {
                throw .invalidValue(file: reader.file, keyPath: reader.keyPath("routes"), expected: "at least one route", found: "[]")
            }
            section.routes = routes
        }
        try reader.finish()
        return section
    }
}
