import Testing

@testable import MarketSim

@Suite struct KiteKeyTableTests {
    @Test("over 20 generated key lists (with repeats), the table finds the position a dictionary filled in order finds, and nothing for unknown keys")
    func agreesWithDictionary() {
        let random = CounterRandom(seed: 77)
        for list in 0..<20 {
            let size = 1 + Int(random.words(stream: 1, index: UInt64(list)).0 % 3_000)
            let keys = (0..<size).map { i -> String in
                let n = random.words(stream: 2, index: UInt64(list * 10_000 + i)).0 % UInt64(size * 3 / 2 + 1)
                return (n % 2 == 0 ? "NFO:NIFTY26D" : "BFO:SENSEX26D") + String(n) + (n % 3 == 0 ? "CE" : "PE")
            }
            var expected: [String: Int] = [:]
            for (position, key) in keys.enumerated() { expected[key] = position }
            let table = KiteKeyTable(keys)
            #expect(table.count == expected.count)
            for key in keys { #expect(table.position(of: key) == expected[key], "list \(list) key \(key)") }
            for unknown in ["", "NFO:", "NSE:NIFTY 50", "NFO:NIFTY26D1CE ", "nfo:nifty26d2ce"] {
                #expect(table.position(of: unknown) == expected[unknown])
            }
        }
    }
}
