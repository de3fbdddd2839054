import Testing

@testable import Platform

/// `Collector.rows` refilling an earlier snapshot's array must give exactly the rows built fresh.
@Suite struct CollectorRowsTests {
    /// A random plan: option entries (some sharing a key) with spot and future entries among them.
    static func plan(_ random: inout SplitMix64, symbols: Int) -> [(key: String, planned: Cycle.Planned)] {
        (0..<(1 + Int(random.next(below: 60)))).map { n in
            let pick = Int(random.next(below: UInt64(symbols)))
            switch random.next(below: 8) {
            case 0: return (key: "NSE:SPOT\(pick)", planned: Cycle.Planned(index: 0))
            case 1: return (key: "NFO:FUT\(pick)", planned: Cycle.Planned(index: 0, expiry: CivilDate(daysSinceEpoch: 20_000)))
            default:
                let symbol = "NIFTY26D\(pick)\(n % 2 == 0 ? "CE" : "PE")\(random.next(below: 4) == 0 ? "-LONGER-THAN-SMALL" : "")"
                let option = IndexContracts.Option(
                    key: "NFO:\(symbol)", tradingsymbol: symbol, token: UInt32(truncatingIfNeeded: random.next()),
                    strikePaise: Int64(random.next(below: 5_000_000)), type: n % 2 == 0 ? .call : .put)
                return (key: option.key, planned: Cycle.Planned(
                    index: 0, expiry: CivilDate(daysSinceEpoch: 20_000 + Int64(random.next(below: 30))), option: option))
            }
        }
    }

    /// A cycle over `plan` with random quotes (some missing, some without times) received.
    static func cycle(_ plan: [(key: String, planned: Cycle.Planned)], _ random: inout SplitMix64) -> Cycle {
        let at = Instant(nanosecondsSinceEpoch: 1_780_000_000_000_000_000 + Int64(random.next(below: 1_000_000)))
        let received: [BrokerQuoteTop?] = plan.map { _ in
            guard random.next(below: 6) != 0 else { return nil }
            var top = BrokerQuoteTop()
            top.timestamp = random.next(below: 4) == 0 ? nil : at + .milliseconds(Int64(random.next(below: 5_000)) - 4_000)
            top.lastTradeTime = random.next(below: 2) == 0 ? nil : at + .milliseconds(-Int64(random.next(below: 9_000)))
            top.lastPricePaise = Int64(random.next(below: 1_000_000))
            top.bidPaise = Int64(random.next(below: 1_000_000))
            top.askPaise = Int64(random.next(below: 1_000_000))
            top.bidQuantity = Int64(random.next(below: 10_000))
            top.askQuantity = Int64(random.next(below: 10_000))
            top.volume = Int64(bitPattern: random.next())
            top.oi = Int64(random.next(below: 100_000_000))
            return top
        }
        return Cycle(at: at, closesAt: at + .seconds(1), plan: plan, keyIndex: QuoteKeyIndex(keys: plan.map(\.key)),
                     batches: [], received: received, expected: [:], shortfall: 0, rowOrder: [])
    }

    /// The rows as the collector defines them, built one by one from the plan.
    static func reference(_ order: [Int], cycle: Cycle) -> (rows: [QuoteRow], newest: Instant?) {
        var rows: [QuoteRow] = []
        var newest: Instant?
        for position in order {
            guard let option = cycle.plan[position].planned.option, let expiry = cycle.plan[position].planned.expiry,
                  let top = cycle.received[cycle.keyIndex.firstPositions[position]]
            else { continue }
            let exchangeTime = top.timestamp ?? top.lastTradeTime ?? cycle.at
            newest = max(newest ?? exchangeTime, exchangeTime)
            rows.append(QuoteRow(
                tradingsymbol: option.tradingsymbol, instrumentToken: option.token, expiry: expiry,
                strikePaise: option.strikePaise, optionType: option.type, bidPaise: top.bidPaise, askPaise: top.askPaise,
                ltpPaise: top.lastPricePaise, bidQuantity: top.bidQuantity, askQuantity: top.askQuantity,
                volume: top.volume, openInterest: top.oi, exchangeTime: exchangeTime))
        }
        return (rows, newest)
    }

    @Test("rows refilled over an earlier array, held once or shared, equal rows built fresh, and a shared array is left as it was")
    func refilledRowsEqualFreshRows() {
        for seed in 0..<300 {
            var random = SplitMix64(seed: UInt64(seed))
            let symbols = 1 + Int(random.next(below: 80))
            var buffers: [[QuoteRow]] = [[], []]
            for turn in 0..<8 {
                let plan = Self.plan(&random, symbols: symbols)
                let cycle = Self.cycle(plan, &random)
                var order = Array(plan.indices)
                for i in order.indices.reversed() { order.swapAt(i, Int(random.next(below: UInt64(i + 1)))) }
                order.removeLast(Int(random.next(below: UInt64(order.count + 1))))
                let expected = Self.reference(order, cycle: cycle)
                let slot = turn % 2
                let shared = random.next(below: 3) == 0 ? buffers[slot] : nil
                let before = shared.map { $0.map { $0 } }  // a copy in storage of its own
                var rows = buffers[slot]
                buffers[slot] = []
                let newest = Collector<KiteClient>.fill(&rows, order, templates: RowTemplates(plan: plan), cycle: cycle)
                #expect(rows == expected.rows, "seed \(seed) turn \(turn)")
                #expect(newest == expected.newest, "seed \(seed) turn \(turn)")
                #expect(shared == before, "seed \(seed) turn \(turn): a shared array changed")
                let fresh = Collector<KiteClient>.rows(order, templates: RowTemplates(plan: plan), cycle: cycle)
                #expect(fresh.rows == expected.rows && fresh.newest == expected.newest, "seed \(seed) turn \(turn)")
                buffers[slot] = rows
            }
        }
    }

    @Test("the row buffers hand each index its two arrays in turn, empty at first")
    func rowBuffersAlternate() {
        var buffers = RowBuffers()
        let row = RowTemplates.blank
        #expect(buffers.take(1).isEmpty)
        buffers.keep([row], 1)
        #expect(buffers.take(1).isEmpty)
        buffers.keep([row, row], 1)
        #expect(buffers.take(1).count == 1)
        #expect(buffers.take(1).count == 2)
        #expect(buffers.take(0).isEmpty)
    }
}
