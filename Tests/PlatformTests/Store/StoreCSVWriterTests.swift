import Testing

@testable import Platform

/// The store's memoised row encoder must write exactly the bytes of the reference `StoreCSV.encode`.
@Suite struct StoreCSVWriterTests {
    /// A random chain: `count` contracts with random fields, some of them extreme.
    static func contracts(_ count: Int, random: inout SplitMix64) -> [QuoteRow] {
        (0..<count).map { n in
            let strike = random.next(below: 8) == 0 ? random.next(in: -1_000_000...Int64.max / 2) : 2_000_000 + Int64(n / 2) * 5_000
            return QuoteRow(
                tradingsymbol: "NIFTY26D01\(strike / 100)\(n % 2 == 0 ? "CE" : "PE")\(random.next(below: 5) == 0 ? "-LONG-SUFFIX-\(n)" : "")",
                instrumentToken: UInt32(truncatingIfNeeded: random.next()), expiry: CivilDate(daysSinceEpoch: 20_000 + Int64(random.next(below: 40))),
                strikePaise: strike, optionType: n % 2 == 0 ? .call : .put, bidPaise: 0, askPaise: 0, ltpPaise: 0,
                bidQuantity: 0, askQuantity: 0, volume: 0, openInterest: 0, exchangeTime: .epoch)
        }
    }

    /// A random number, usually small, sometimes at the ends of Int64.
    static func number(_ random: inout SplitMix64) -> Int64 {
        switch random.next(below: 10) {
        case 0: return Int64(bitPattern: random.next())
        case 1: return [Int64.max, Int64.min + 1, 0, -1, 99, 100, -100][Int(random.next(below: 7))]
        case 2: return -Int64(random.next(below: 1_000_000))
        default: return Int64(random.next(below: 10_000_000))
        }
    }

    /// The next snapshot of `chain` at `at`: fresh quotes, some contracts replaced, sometimes reordered or cut.
    static func snapshot(_ chain: inout [QuoteRow], at: Instant, index: String, random: inout SplitMix64) -> ChainSnapshot {
        if random.next(below: 4) == 0, !chain.isEmpty {
            let position = Int(random.next(below: UInt64(chain.count)))
            switch random.next(below: 5) {
            case 0: chain[position].instrumentToken &+= 1
            case 1: chain[position].strikePaise += 5_000
            case 2: chain[position].expiry = chain[position].expiry.adding(days: 7)
            case 3: chain[position].optionType = chain[position].optionType == .call ? .put : .call
            default: chain[position].tradingsymbol += "X"
            }
        }
        var rows = chain
        if random.next(below: 6) == 0 {
            for position in rows.indices.reversed() { rows.swapAt(position, Int(random.next(below: UInt64(position + 1)))) }
        }
        if random.next(below: 6) == 0 { rows.removeLast(Int(random.next(below: UInt64(rows.count + 1)))) }
        var exchange = at
        for position in rows.indices {
            if random.next(below: 3) == 0 {
                // Whole seconds, milliseconds or nanoseconds behind the snapshot, now and then before 1970.
                let lag: Int64 = [1_000_000_000, 1_000_000, 1, 86_400_000_000_000][Int(random.next(below: 4))]
                exchange = at - .nanoseconds(lag * Int64(random.next(below: 100)))
            }
            rows[position].exchangeTime = exchange
            rows[position].bidPaise = number(&random)
            rows[position].askPaise = number(&random)
            rows[position].ltpPaise = number(&random)
            rows[position].bidQuantity = number(&random)
            rows[position].askQuantity = number(&random)
            rows[position].volume = number(&random)
            rows[position].openInterest = number(&random)
        }
        return ChainSnapshot(
            index: index, tradingDate: ISO8601.istDate(of: at), collectedAt: at,
            requestedAt: at - .nanoseconds(Int64(random.next(below: 3)) * 123_456_789), underlyingPaise: number(&random),
            rows: rows)
    }

    @Test("snapshot after snapshot, with contracts changing under the memo and numbers repeating or not, the writer's bytes equal StoreCSV.encode's",
          arguments: Array(1...40) as [UInt64])
    func matchesReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var writer = StoreCSVWriter()
        let indices = ["NIFTY", "BANKNIFTY"]
        var chains = indices.map { _ in Self.contracts(Int(random.next(below: 60)), random: &random) }
        var at = Instant(nanosecondsSinceEpoch: random.next(in: -2_000_000_000_000_000_000...4_000_000_000_000_000_000))
        var previous: [[QuoteRow]] = [[], []]
        for step in 0..<40 {
            at = at + .nanoseconds(Int64(random.next(below: 4)) * 500_000_000 + (random.next(below: 5) == 0 ? 86_400_000_000_000 : 0))
            let which = Int(random.next(below: 2))
            var snapshot = Self.snapshot(&chains[which], at: at, index: indices[which], random: &random)
            // LTP, volume and OI mostly repeat from second to second: the writer remembers their text by position.
            for position in snapshot.rows.indices where position < previous[which].count && random.next(below: 3) != 0 {
                let before = previous[which][position]
                if random.next(below: 4) != 0 { snapshot.rows[position].ltpPaise = before.ltpPaise }
                if random.next(below: 4) != 0 { snapshot.rows[position].volume = before.volume }
                if random.next(below: 4) != 0 { snapshot.rows[position].openInterest = before.openInterest }
            }
            previous[which] = snapshot.rows
            var expected: [UInt8] = []
            let actual: [UInt8]
            if random.next(below: 4) == 0 {
                let skip = random.next()
                let keep: (QuoteRow) -> Bool = { row in (UInt64(row.instrumentToken) ^ skip) % 3 != 0 }
                StoreCSV.encode(snapshot, into: &expected, include: keep)
                let count = writer.encode(snapshot, key: indices[which], include: keep)
                actual = Array(writer.buffer.prefix(count))
            } else {
                StoreCSV.encode(snapshot, into: &expected)
                let count = writer.encode(snapshot, key: indices[which])
                actual = Array(writer.buffer.prefix(count))
            }
            #expect(actual == expected, "seed \(seed) step \(step)")
            if actual != expected { return }
        }
    }

    @Test("an empty snapshot writes nothing")
    func empty() {
        var writer = StoreCSVWriter()
        let snapshot = ChainSnapshot(
            index: "NIFTY", tradingDate: CivilDate(year: 2026, month: 11, day: 24)!, collectedAt: .epoch,
            requestedAt: .epoch, underlyingPaise: 1, rows: [])
        #expect(writer.encode(snapshot, key: "a") == 0)
    }
}
