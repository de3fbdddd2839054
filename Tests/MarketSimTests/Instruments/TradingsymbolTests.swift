import Testing

@testable import MarketSim

@Suite struct TradingsymbolTests {
    func date(_ text: String) -> TradingDate { TradingDate(iso: text)! }

    @Test("weekly, monthly and futures symbols follow Kite's convention", arguments: [
        ("2025-12-16", false, Int64(2_400_000), OptionRight.call, "NIFTY25D1624000CE"),
        ("2025-12-30", true, Int64(2_400_000), OptionRight.call, "NIFTY25DEC24000CE"),
        ("2026-10-06", false, Int64(2_510_000), OptionRight.call, "NIFTY26O0625100CE"),
        ("2025-11-11", false, Int64(2_400_000), OptionRight.call, "NIFTY25N1124000CE"),
        ("2026-01-06", false, Int64(2_400_000), OptionRight.put, "NIFTY2610624000PE"),
        ("2026-01-06", false, Int64(2_400_050), OptionRight.put, "NIFTY2610624000.5PE"),
    ])
    func symbols(expiry: String, monthly: Bool, strike: Int64, right: OptionRight, expected: String) {
        #expect(Tradingsymbol.option(name: "NIFTY", expiry: date(expiry), isMonthly: monthly, strikePaise: strike, right: right)
            == expected)
    }

    @Test("futures use the monthly form")
    func future() {
        #expect(Tradingsymbol.future(name: "NIFTY", expiry: date("2025-12-30")) == "NIFTY25DECFUT")
    }

    @Test("every contract listed on 200 generated (date, index) cases has a well-formed symbol and a unique token with the exchange's segment code")
    func listedContracts() throws {
        let random = CounterRandom(seed: 5)
        let spec = MarketSpec.standard
        let skeleton = DailySkeleton(seed: 9, spec: spec)
        for i in 0..<200 {
            let date = MarketCases.date(random, i)
            let index = spec.indices[i % spec.indices.count]
            let catalog = ContractCatalog(spec: spec, index: index, date: date, skeleton: skeleton)
            var tokens = Set<Int64>()
            for contract in catalog.contracts {
                #expect(tokens.insert(contract.instrumentToken).inserted, "duplicate token \(contract.tradingsymbol)")
                #expect(contract.instrumentToken & 0xFF == index.foSegmentCode)
                #expect(contract.instrumentToken >> 8 == contract.exchangeToken)
                #expect(contract.instrumentToken < 1 << 32)
                #expect(contract.tradingsymbol.hasPrefix(index.name + String(contract.expiry.year % 100)))
                #expect(contract.lotSize == index.lotSize(expiry: contract.expiry))
                if let right = contract.right {
                    #expect(contract.tradingsymbol.hasSuffix(Tradingsymbol.strikeText(contract.strikePaise) + right.rawValue))
                    #expect(contract.strikePaise % index.strikeStepPaise == 0)
                }
            }
            for entry in catalog.expiries {
                #expect(entry.strikes.count >= 2 * index.strikesEachSide + 1)
                #expect(zip(entry.strikes, entry.strikes.dropFirst()).allSatisfy { $1 - $0 == index.strikeStepPaise })
            }
        }
    }
}
