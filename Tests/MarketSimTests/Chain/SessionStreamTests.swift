import Testing

@testable import MarketSim

@Suite struct SessionStreamTests {
    @Test("streaming a session second by second gives exactly the on-demand quotes and trade tapes")
    func streamMatchesOnDemand() throws {
        for (seed, name) in [(UInt64(3), "NIFTY"), (UInt64(4), "SENSEX")] {
            let market = try Market(seed: seed, date: TradingDate(year: 2025, month: 9, day: 2), indices: [name])
            var stream = try SessionStream(market: market, indices: [name], expiries: 2, strikesEachSide: 3)
            #expect(stream.contracts.count == 2 * 7 * 2)
            for checkpoint in [0, 59, 60, 61, 900, 1_500] {
                stream.advance(to: checkpoint)
                let time = market.spec.calendar.time(market.date, secondOfSession: checkpoint)
                for (i, contract) in stream.contracts.enumerated() {
                    let slice = try market.slice(index: name, expiry: contract.expiry, second: checkpoint)
                    let quote = Market.quote(strikePaise: contract.strikePaise, right: contract.right!, slice: slice)
                    #expect(quote.bid == stream.bids[i] && quote.ask == stream.asks[i], "\(contract.tradingsymbol) at \(checkpoint)")
                    if checkpoint == 1_500 {
                        #expect(market.tradeTape(contract, through: checkpoint) == stream.tapes[i])
                        #expect(market.quote(token: contract.instrumentToken, at: time)?.volume == stream.tapes[i].volume)
                    }
                }
            }
            #expect(stream.tapes.contains { $0.tradeCount > 0 })
        }
    }
}
