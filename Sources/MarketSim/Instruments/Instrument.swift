/// One row of the instruments dump, in Kite's column order (kite-nse-facts.md §1.4).
public struct Instrument: Sendable, Equatable {
    public var instrumentToken: Int64
    public var exchangeToken: Int64
    public var tradingsymbol: String
    /// Underlying name for derivatives (e.g. `NIFTY`), the symbol for index rows.
    public var name: String
    /// Previous close, in paise.
    public var lastPricePaise: Int64
    /// Nil for index rows.
    public var expiry: TradingDate?
    /// Strike in paise, 0 for non-options.
    public var strikePaise: Int64
    /// Tick in paise: 5 for derivatives, 0 for index rows.
    public var tickSizePaise: Int64
    public var lotSize: Int64
    /// `EQ` (index rows), `FUT`, `CE` or `PE`.
    public var instrumentType: String
    /// `INDICES`, `NFO-OPT`, `NFO-FUT`, `BFO-OPT`, `BFO-FUT`.
    public var segment: String
    public var exchange: String

    /// The dump's header line.
    public static let csvHeader =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange"

    /// The row as one CSV line.
    public var csvLine: String {
        [String(instrumentToken), String(exchangeToken), tradingsymbol, name, lastPricePaise.paiseAsRupees,
         expiry?.description ?? "", strikePaise.paiseAsRupees, tickSizePaise.paiseAsRupees, String(lotSize),
         instrumentType, segment, exchange].joined(separator: ",")
    }
}

extension Market {
    /// The instruments dump as published before the open of `date` (a trading day): index rows,
    /// then each simulated index's options and futures. Works for any simulated date, not just
    /// this session's; `lastPrice` is the previous close (the model mid at the prior close for options
    /// is not simulated, so derivatives carry 0).
    public func instruments(on date: TradingDate) throws(MarketError) -> [Instrument] {
        guard date >= spec.simulatedFrom, date <= spec.simulatedTo else {
            throw .dateOutOfRange(date, from: spec.simulatedFrom, to: spec.simulatedTo)
        }
        guard spec.calendar.isTradingDay(date) else {
            throw .notATradingDay(date, lastSession: spec.calendar.tradingDay(before: date))
        }
        var rows: [Instrument] = []
        for index in indices {
            let previous = skeleton.day(index: index.number, date: date)?.previousClose ?? 0
            rows.append(
                Instrument(
                    instrumentToken: index.spotToken, exchangeToken: index.spotToken >> 8,
                    tradingsymbol: index.spotSymbol, name: index.spotSymbol,
                    lastPricePaise: Int64((previous * 100).rounded()), expiry: nil, strikePaise: 0, tickSizePaise: 0,
                    lotSize: 0, instrumentType: "EQ", segment: "INDICES", exchange: index.exchange))
        }
        if indices.contains(where: { $0.name == "NIFTY" }) {
            rows.append(
                Instrument(
                    instrumentToken: spec.vix.spotToken, exchangeToken: spec.vix.spotToken >> 8,
                    tradingsymbol: spec.vix.spotSymbol, name: spec.vix.spotSymbol, lastPricePaise: 0, expiry: nil,
                    strikePaise: 0, tickSizePaise: 0, lotSize: 0, instrumentType: "EQ", segment: "INDICES",
                    exchange: spec.vix.exchange))
        }
        for index in indices {
            let catalog = date == self.date
                ? catalogs[index.number]! : ContractCatalog(spec: spec, index: index, date: date, skeleton: skeleton)
            for contract in catalog.contracts {
                rows.append(
                    Instrument(
                        instrumentToken: contract.instrumentToken, exchangeToken: contract.exchangeToken,
                        tradingsymbol: contract.tradingsymbol, name: contract.name, lastPricePaise: 0,
                        expiry: contract.expiry, strikePaise: contract.strikePaise,
                        tickSizePaise: QuoteRule.tickPaise, lotSize: contract.lotSize,
                        instrumentType: contract.instrumentType, segment: contract.segment, exchange: contract.exchange))
            }
        }
        return rows
    }
}
