import Testing

@testable import MarketSim

@Suite struct InstrumentDumpTests {
    @Test("the dump lists index rows then derivatives in Kite's columns; every derivative token resolves to a quote")
    func dump() throws {
        let date = TradingDate(year: 2026, month: 11, day: 20)
        let market = try Market(seed: 1, date: date, indices: ["NIFTY", "SENSEX"])
        let rows = try market.instruments(on: date)
        #expect(Instrument.csvHeader.split(separator: ",").count == 12)
        #expect(rows.prefix(3).map(\.tradingsymbol) == ["NIFTY 50", "SENSEX", "INDIA VIX"])
        #expect(rows.prefix(3).allSatisfy { $0.segment == "INDICES" && $0.instrumentToken & 0xFF == 9 })
        let line = rows.first { $0.instrumentType == "CE" }!.csvLine
        #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 12)
        #expect(line.contains(",0.05,65,CE,NFO-OPT,NFO"))
        #expect(rows.contains { $0.tradingsymbol == "NIFTY26NOVFUT" && $0.segment == "NFO-FUT" })
        #expect(rows.contains { $0.exchange == "BFO" && $0.instrumentToken & 0xFF == 5 && $0.lotSize == 20 })
        for row in rows.filter({ $0.segment != "INDICES" }).enumerated().filter({ $0.offset % 50 == 0 }).map(\.element) {
            let quote = market.quote(token: row.instrumentToken, at: market.open)
            #expect(quote != nil, "\(row.tradingsymbol)")
            #expect(quote.map { $0.buyDepth.count == 5 && $0.sellDepth.count == 5 } == true)
            #expect(quote.map { $0.sellDepth[0].pricePaise > $0.buyDepth[0].pricePaise } == true)
        }
        #expect(market.quote(token: 12_345_678_9, at: market.open) == nil)
    }

    @Test("specs are those in force on the simulated date: an October 2024 dump has BANKNIFTY weeklies with lot 15")
    func datedSpecs() throws {
        let date = TradingDate(year: 2024, month: 10, day: 15)
        let market = try Market(seed: 1, date: date, indices: ["BANKNIFTY"])
        let rows = try market.instruments(on: date)
        let weekly = rows.first { $0.tradingsymbol.hasPrefix("BANKNIFTY24O16") }
        #expect(weekly?.lotSize == 15)
        let later = try market.instruments(on: TradingDate(year: 2025, month: 8, day: 1))
        #expect(later.filter { $0.instrumentType == "CE" }.allSatisfy { $0.tradingsymbol.contains("AUG") || $0.tradingsymbol.contains("SEP") || $0.tradingsymbol.contains("OCT") })
        #expect(later.contains { $0.tradingsymbol.hasPrefix("BANKNIFTY25AUG") && $0.lotSize == 35 })
    }

    @Test("a holiday or an out-of-range date is refused with a message naming the last session")
    func refusals() {
        #expect(throws: MarketError.notATradingDay(TradingDate(year: 2026, month: 11, day: 24),
                                                   lastSession: TradingDate(year: 2026, month: 11, day: 23))) {
            try Market(seed: 1, date: TradingDate(year: 2026, month: 11, day: 24))
        }
        #expect(throws: MarketError.self) { try Market(seed: 1, date: TradingDate(year: 2023, month: 6, day: 1)) }
        #expect(throws: MarketError.self) { try Market(seed: 1, date: TradingDate(year: 2025, month: 6, day: 2), indices: ["DOW"]) }
    }
}
