/// What the instruments dump lists for one index: its spot key, futures and options by expiry.
public struct IndexContracts: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var key: String
        public var tradingsymbol: String
        public var token: UInt32
        public var strikePaise: Int64
        public var type: OptionType
    }

    public var index: CollectorIndex
    public var lotSize: Int64
    /// Futures by expiry, nearest first.
    public var futures: [(expiry: CivilDate, key: String)]
    /// Listed option expiries on or after the trading date, nearest first.
    public var expiries: [CivilDate]
    /// Options of each expiry, sorted by strike then CE before PE.
    public var options: [CivilDate: [Option]]
    /// Distinct strikes of each expiry, ascending.
    public var strikes: [CivilDate: [Int64]]

    public static func == (lhs: IndexContracts, rhs: IndexContracts) -> Bool {
        lhs.index == rhs.index && lhs.expiries == rhs.expiries && lhs.options == rhs.options
            && lhs.futures.map(\.key) == rhs.futures.map(\.key)
    }

    /// The expiry dates for each bucket, derived from the listed expiries.
    ///
    /// A monthly expiry is the last listed expiry of its calendar month. `current_week` and
    /// `next_week` are the nearest two expiries when the index has weeklies (some month lists
    /// more than one expiry); `current_month` and `next_month` are the nearest two monthlies.
    public var buckets: [(bucket: ExpiryBucket, expiry: CivilDate)] {
        var monthly: [CivilDate] = []
        for (position, expiry) in expiries.enumerated() {
            let next = position + 1 < expiries.count ? expiries[position + 1] : nil
            if next.map({ $0.year != expiry.year || $0.month != expiry.month }) ?? true { monthly.append(expiry) }
        }
        let hasWeeklies = expiries.count > monthly.count
        var result: [(ExpiryBucket, CivilDate)] = []
        if hasWeeklies {
            if let first = expiries.first { result.append((.currentWeek, first)) }
            if expiries.count > 1 { result.append((.nextWeek, expiries[1])) }
        }
        if let first = monthly.first { result.append((.currentMonth, first)) }
        if monthly.count > 1 { result.append((.nextMonth, monthly[1])) }
        return result
    }

    /// The expiries to collect for the configured buckets, nearest first, without duplicates.
    public var collectedExpiries: [CivilDate] {
        let wanted = buckets.filter { index.buckets.contains($0.bucket) }.map(\.expiry)
        return Array(Set(wanted)).sorted()
    }
}

/// Builds each configured index's contracts from the instruments dump.
public enum ContractUniverse {
    public static func build(
        from instruments: [BrokerInstrument], indices: [CollectorIndex], tradingDate: CivilDate
    ) -> [IndexContracts] {
        indices.map { index in
            var options: [CivilDate: [IndexContracts.Option]] = [:]
            var futures: [(CivilDate, String)] = []
            var lotSize: Int64 = 0
            for instrument in instruments where instrument.name == index.symbol && instrument.exchange == index.derivativesExchange {
                guard let expiry = instrument.expiry, expiry >= tradingDate else { continue }
                switch instrument.instrumentType {
                case "FUT":
                    futures.append((expiry, instrument.key))
                case "CE", "PE":
                    lotSize = instrument.lotSize
                    options[expiry, default: []].append(IndexContracts.Option(
                        key: instrument.key, tradingsymbol: instrument.tradingsymbol, token: instrument.instrumentToken,
                        strikePaise: instrument.strikePaise, type: instrument.instrumentType == "CE" ? .call : .put))
                default:
                    continue
                }
            }
            var strikes: [CivilDate: [Int64]] = [:]
            for (expiry, list) in options {
                options[expiry] = list.sorted { ($0.strikePaise, $0.type == .call ? 0 : 1) < ($1.strikePaise, $1.type == .call ? 0 : 1) }
                strikes[expiry] = Array(Set(list.map(\.strikePaise))).sorted()
            }
            return IndexContracts(
                index: index, lotSize: lotSize, futures: futures.sorted { $0.0 < $1.0 },
                expiries: options.keys.sorted(), options: options, strikes: strikes)
        }
    }
}
