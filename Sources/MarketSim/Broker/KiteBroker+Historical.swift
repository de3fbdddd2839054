/// Kite's historical candle intervals, with their length and longest range per request.
public enum KiteInterval: String, Sendable, CaseIterable {
    case minute, threeMinute = "3minute", fiveMinute = "5minute", tenMinute = "10minute"
    case fifteenMinute = "15minute", thirtyMinute = "30minute", sixtyMinute = "60minute", day

    /// Candle length in minutes; 0 for `day` (one candle per IST date, stamped at midnight).
    public var minutes: Int64 {
        switch self {
        case .minute: return 1
        case .threeMinute: return 3
        case .fiveMinute: return 5
        case .tenMinute: return 10
        case .fifteenMinute: return 15
        case .thirtyMinute: return 30
        case .sixtyMinute: return 60
        case .day: return 0
        }
    }

    /// Longest `to − from` span per request, in days (Kite staff figures).
    public var rangeDaysMax: Int64 {
        switch self {
        case .minute: return 60
        case .threeMinute, .fiveMinute, .tenMinute: return 100
        case .fifteenMinute, .thirtyMinute: return 200
        case .sixtyMinute: return 400
        case .day: return 2000
        }
    }
}

extension KiteBroker {
    /// `GET /instruments/historical/{token}/{interval}?from=…&to=…&oi=0|1`.
    ///
    /// Minute candles from the market are aggregated into buckets aligned to 09:15 IST (the
    /// session open), as Kite's are; `day` candles cover one IST date and are stamped 00:00.
    func historical(_ request: KiteHTTPRequest, token tokenText: String, interval intervalText: String,
                    at now: KiteInstant) -> KiteHTTPResponse
    {
        guard let token = UInt32(tokenText) else {
            return KiteError(.input, "Invalid `instrument_token` '\(tokenText)': expected an integer.").response
        }
        guard let interval = KiteInterval(rawValue: intervalText) else {
            let names = KiteInterval.allCases.map(\.rawValue).joined(separator: ", ")
            return KiteError(.input, "Invalid interval '\(intervalText)': expected one of \(names).").response
        }
        guard let fromText = request.queryValue("from"), let from = KiteTime.parseIST(fromText),
            let toText = request.queryValue("to"), let to = KiteTime.parseIST(toText)
        else {
            return KiteError(.input, "Missing or invalid `from`/`to`: expected `YYYY-MM-DD HH:MM:SS` (IST).").response
        }
        guard from <= to else { return KiteError(.input, "`from` is after `to`.").response }
        let spanDays = (to.nanosecondsSinceEpoch - from.nanosecondsSinceEpoch) / 86_400_000_000_000
        guard spanDays <= interval.rangeDaysMax else {
            return KiteError(.input,
                "Interval exceeds max limit: \(interval.rawValue) allows at most \(interval.rangeDaysMax) days.").response
        }
        let withOI = request.queryValue("oi") == "1"
        let end = min(to, now)
        let candles: [KiteCandle]
        if end < from {
            candles = []
        } else if interval == .day {
            candles = market.dayCandles(token: token, from: from, to: end)
        } else {
            candles = KiteBroker.aggregate(market.minuteCandles(token: token, from: from, to: end), interval: interval)
        }
        var out = KiteEnvelope.open
        out.reserveCapacity(out.count + 32 + candles.count * 80)
        out.append(contentsOf: #"{"candles":["#.utf8)
        for (position, candle) in candles.enumerated() {
            if position > 0 { out.append(0x2C) }
            out.append(contentsOf: "[\"".utf8)
            KiteTime.appendCandleTimestamp(candle.start, to: &out)
            out.append(contentsOf: "\",".utf8)
            for price in [candle.openPaise, candle.highPaise, candle.lowPaise, candle.closePaise] {
                KiteJSON.appendPaise(price, to: &out)
                out.append(0x2C)
            }
            KiteJSON.appendInt(candle.volume, to: &out)
            if withOI {
                out.append(0x2C)
                KiteJSON.appendInt(candle.oi, to: &out)
            }
            out.append(0x5D)
        }
        out.append(contentsOf: "]}}".utf8)
        return .json(status: 200, body: out)
    }

    /// Merges consecutive minute candles into `interval` buckets (open of the first, close and OI
    /// of the last, extreme high/low, summed volume).
    static func aggregate(_ minutes: [KiteCandle], interval: KiteInterval) -> [KiteCandle] {
        if interval == .minute { return minutes }
        var out: [KiteCandle] = []
        for candle in minutes {
            let start = bucketStart(candle.start, interval: interval)
            if var last = out.last, last.start == start {
                last.highPaise = max(last.highPaise, candle.highPaise)
                last.lowPaise = min(last.lowPaise, candle.lowPaise)
                last.closePaise = candle.closePaise
                last.volume += candle.volume
                last.oi = candle.oi
                out[out.count - 1] = last
            } else {
                var fresh = candle
                fresh.start = start
                out.append(fresh)
            }
        }
        return out
    }

    static func bucketStart(_ instant: KiteInstant, interval: KiteInterval) -> KiteInstant {
        let date = instant.istDate
        let midnight = KiteInstant(ist: date, hour: 0, minute: 0)
        if interval == .day { return midnight }
        let open = KiteInstant(ist: date, hour: 9, minute: 15)
        let length = interval.minutes * 60_000_000_000
        let offset = instant.nanosecondsSinceEpoch - open.nanosecondsSinceEpoch
        return open.adding(nanoseconds: KiteTime.floorDiv(offset, length) * length)
    }
}
