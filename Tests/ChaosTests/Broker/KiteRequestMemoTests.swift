import MarketSim
import Platform
import Testing

@testable import Chaos

@Suite struct KiteRequestMemoTests {
    @Test("the memo maps every request as BrokerBridge does, whether its arrays repeat, are copied or are edited")
    func memoMapsAsTheBridge() {
        for seed in UInt64(1)...40 {
            var random = SplitMix64(seed: seed)
            func draw(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
            var memo = KiteRequestMemo()
            var query = [QueryItem("i", "NFO:A"), QueryItem("i", "NSE:NIFTY 50")]
            var headers = [HeaderField("X-Kite-Version", "3"), HeaderField("Authorization", "token k:t")]
            for step in 0..<30 {
                switch draw(7) {
                case 0: break  // the same arrays
                case 1: query = query.map { QueryItem($0.name, String(decoding: Array($0.value.utf8), as: UTF8.self)) }
                case 2: query.append(QueryItem(draw(4) == 0 ? "x" : "i", "NFO:K\(draw(5))"))
                case 3: if !query.isEmpty { query[draw(query.count)].value = "NFO:K\(draw(5))" }
                case 4: if query.count > 1 { query.swapAt(draw(query.count), draw(query.count)) }
                case 5: headers[1].value = "token k:t\(draw(3))"
                default: query = (0..<draw(4)).map { _ in QueryItem("i", "NFO:K\(draw(5))") }
                }
                let request = BrokerRequest(method: draw(5) == 0 ? "POST" : "GET", path: "/quote", query: query,
                                            headers: headers, body: draw(5) == 0 ? [UInt8(draw(256))] : [])
                let mapped = memo.kiteRequest(request)
                #expect(mapped == BrokerBridge.kiteRequest(request), "seed \(seed) step \(step)")
                let again = memo.kiteRequest(request)
                #expect(again.query.withUnsafeBufferPointer { a in mapped.query.withUnsafeBufferPointer { a.baseAddress == $0.baseAddress } },
                        "a repeated query reuses its mapping (seed \(seed) step \(step))")
            }
        }
    }
}
