/// An instant as whole nanoseconds since the Unix epoch (UTC), the same encoding as `Platform.Instant`.
///
/// MarketSim never reads a clock: every question about the market names its instant. The helpers
/// here view an instant in IST (UTC+05:30, no daylight saving), the exchange's zone.
public struct MarketTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }

    /// IST's offset from UTC, in seconds.
    public static let istOffsetSeconds: Int64 = 19_800

    /// The instant at `secondOfDay` seconds after IST midnight of `date`.
    public init(date: TradingDate, secondOfDay: Int) {
        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(secondOfDay) - MarketTime.istOffsetSeconds
        nanosecondsSinceEpoch = seconds * 1_000_000_000
    }

    /// Whole seconds since the epoch, rounded toward negative infinity.
    public var secondsSinceEpoch: Int64 {
        let (q, r) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return r < 0 ? q - 1 : q
    }

    private var istSeconds: Int64 { secondsSinceEpoch + MarketTime.istOffsetSeconds }

    /// The IST calendar date of this instant.
    public var istDate: TradingDate {
        let (q, r) = istSeconds.quotientAndRemainder(dividingBy: 86_400)
        return TradingDate(daysSinceEpoch: Int(r < 0 ? q - 1 : q))
    }

    /// Whole seconds since IST midnight, 0..<86400.
    public var istSecondOfDay: Int {
        let r = Int(istSeconds % 86_400)
        return r < 0 ? r + 86_400 : r
    }

    /// Parses ISO 8601 `YYYY-MM-DDTHH:MM:SS` with `Z` or a `±HH:MM` offset (seconds optional).
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let date = TradingDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == 84 || bytes[10] == 32
        else { return nil }
        func two(_ at: Int) -> Int? {
            guard at + 1 < bytes.count, (48...57).contains(bytes[at]), (48...57).contains(bytes[at + 1])
            else { return nil }
            return Int(bytes[at] - 48) * 10 + Int(bytes[at + 1] - 48)
        }
        guard let hour = two(11), bytes[13] == 58, let minute = two(14), hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == 58 {
            guard let s = two(index + 1), s < 60 else { return nil }
            second = s
            index += 3
        }
        var offset = 0
        if index < bytes.count, bytes[index] == 90 {  // Z
            index += 1
        } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
            guard let oh = two(index + 1), index + 3 < bytes.count, bytes[index + 3] == 58, let om = two(index + 4),
                oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (bytes[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let utcSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        nanosecondsSinceEpoch = utcSeconds * 1_000_000_000
    }

    /// ISO 8601 in IST, e.g. `2026-11-24T10:00:00+05:30`.
    public var description: String { istDate.description + "T" + clockText + "+05:30" }

    /// Kite's `YYYY-MM-DD HH:MM:SS` in IST without a zone.
    public var kiteText: String { istDate.description + " " + clockText }

    private var clockText: String {
        let s = istSecondOfDay
        return TradingDate.pad(s / 3600, 2) + ":" + TradingDate.pad(s / 60 % 60, 2) + ":" + TradingDate.pad(s % 60, 2)
    }

    public static func < (lhs: MarketTime, rhs: MarketTime) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}
