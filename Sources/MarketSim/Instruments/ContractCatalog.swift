/// Every contract of one index listed on one trading day: expiries, strike grids, options, futures.
///
/// The strike grid of an expiry is the union, over the days it has been listed, of the ATM strike
/// (from each day's previous close) ± `strikesEachSide` steps. So the grid re-centres as the index
/// drifts, new strikes are added, and no strike is removed before expiry. Futures are listed for
/// the monthly expiries.
public struct ContractCatalog: Sendable {
    /// One expiry's listing and its strikes (paise), ascending.
    public struct ExpiryStrikes: Sendable {
        public var listing: ExpiryListing
        public var strikes: [Int64]
        public var lotSize: Int64
    }

    public let index: IndexSpec
    public let date: TradingDate
    public let expiries: [ExpiryStrikes]
    /// Options ordered by (expiry, strike, CE before PE), then futures by expiry.
    public let contracts: [Contract]

    public init(spec: MarketSpec, index: IndexSpec, date: TradingDate, skeleton: DailySkeleton) {
        let step = index.strikeStepPaise
        var expiries: [ExpiryStrikes] = []
        var contracts: [Contract] = []
        let segment = index.foSegmentCode
        for listing in spec.listedExpiries(index, on: date) {
            let first = spec.listingStart(index, expiry: listing.date, from: date)
            var low = Int64.max
            var high = Int64.min
            var day = first
            while day <= date {
                if let record = skeleton.day(index: index.number, date: day) {
                    let atm = (Int64((record.previousClose * 100).rounded()) + step / 2) / step * step
                    low = min(low, atm - Int64(index.strikesEachSide) * step)
                    high = max(high, atm + Int64(index.strikesEachSide) * step)
                }
                day = spec.calendar.tradingDay(after: day)
            }
            guard low <= high else { continue }
            low = max(low, step)
            let strikes = Array(stride(from: low, through: high, by: Int(step)))
            let lot = index.lotSize(expiry: listing.date)
            expiries.append(ExpiryStrikes(listing: listing, strikes: strikes, lotSize: lot))
            for strike in strikes {
                for right in OptionRight.allCases {
                    let exchangeToken = InstrumentToken.exchangeToken(
                        indexNumber: index.number, expiry: listing.date, strikeSlot: strike / step, kind: .option(right))
                    contracts.append(
                        Contract(
                            name: index.name, indexNumber: index.number, kind: .option(right), expiry: listing.date,
                            isMonthlyExpiry: listing.isMonthly, strikePaise: strike, lotSize: lot,
                            tradingsymbol: Tradingsymbol.option(
                                name: index.name, expiry: listing.date, isMonthly: listing.isMonthly,
                                strikePaise: strike, right: right),
                            exchange: index.foExchange, exchangeToken: exchangeToken,
                            instrumentToken: exchangeToken << 8 | segment))
                }
            }
        }
        for listing in expiries.map(\.listing) where listing.isMonthly {
            let exchangeToken = InstrumentToken.exchangeToken(
                indexNumber: index.number, expiry: listing.date, strikeSlot: 0, kind: .future)
            contracts.append(
                Contract(
                    name: index.name, indexNumber: index.number, kind: .future, expiry: listing.date,
                    isMonthlyExpiry: true, strikePaise: 0, lotSize: index.lotSize(expiry: listing.date),
                    tradingsymbol: Tradingsymbol.future(name: index.name, expiry: listing.date),
                    exchange: index.foExchange, exchangeToken: exchangeToken, instrumentToken: exchangeToken << 8 | segment))
        }
        self.index = index
        self.date = date
        self.expiries = expiries
        self.contracts = contracts
    }
}
