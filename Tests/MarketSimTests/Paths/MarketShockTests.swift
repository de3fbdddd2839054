import Testing

@testable import MarketSim

/// Scheduled shocks: a jump moves the level by exactly its return from the next second on; a volatility
/// window scales the variance state by factor² and realised moves by about the factor; the surface follows.
@Suite struct MarketShockTests {
    static let spec = MarketSpec.standard
    static let date = TradingDate(year: 2026, month: 11, day: 25)
    static let nifty = spec.index(named: "NIFTY")!

    static func path(seed: UInt64, shocks: [MarketShock]) -> IntradayPath {
        let day = DailySkeleton(seed: seed, spec: spec).day(index: nifty.number, date: date)!
        return IntradayPath(seed: seed, spec: nifty, day: day, sessionSeconds: spec.calendar.sessionSeconds, shocks: shocks)
    }

    @Test("over 12 seeds, a -4% jump at second s leaves levels up to s unchanged and scales every later level by 0.96")
    func jump() {
        let shock = MarketShock(date: Self.date, second: 3_000, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.96)))
        for seed in UInt64(1)...12 {
            let plain = Self.path(seed: seed, shocks: [])
            let shocked = Self.path(seed: seed, shocks: [shock])
            #expect(shocked.level[0...3_000] == plain.level[0...3_000])
            for s in stride(from: 3_001, through: plain.level.count - 1, by: 97) {
                #expect(abs(shocked.level[s] / plain.level[s] - 0.96) < 1e-12)
            }
            #expect(shocked.variance == plain.variance)
        }
    }

    @Test("over 12 seeds, a 3x volatility window scales the variance state by 9 inside it and realised variance by about 9")
    func volatility() {
        let (from, until) = (4_000, 7_600)
        let shock = MarketShock(date: Self.date, second: from, index: nil, kind: .volatility(factor: 3, untilSecond: until))
        for seed in UInt64(1)...12 {
            let plain = Self.path(seed: seed, shocks: [])
            let shocked = Self.path(seed: seed, shocks: [shock])
            #expect(shocked.variance[0..<from] == plain.variance[0..<from])
            for s in stride(from: from, to: until, by: 53) { #expect(abs(shocked.variance[s] / plain.variance[s] - 9) < 1e-9) }
            #expect(shocked.variance[until...] == plain.variance[until...])
            func realised(_ path: IntradayPath) -> Double {
                (from..<until).reduce(0.0) { sum, s in
                    let r = path.logLevel[s + 1] - path.logLevel[s]
                    return sum + r * r
                }
            }
            let ratio = realised(shocked) / realised(plain)
            #expect(ratio > 7 && ratio < 11, "seed \(seed): realised variance ratio \(ratio)")
        }
    }

    @Test("a shock for another index or another date changes nothing")
    func scoped() throws {
        let other = MarketShock(date: Self.date, second: 100, index: "BANKNIFTY", kind: .jump(logReturn: -0.1))
        let otherDay = MarketShock(date: Self.date.adding(days: 1), second: 100, index: nil, kind: .volatility(factor: 5, untilSecond: 9_000))
        var spec = Self.spec
        spec.shocks = [other, otherDay]
        let plain = try Market(seed: 3, date: Self.date, indices: ["NIFTY"])
        let shocked = try Market(seed: 3, date: Self.date, indices: ["NIFTY"], spec: spec)
        #expect(shocked.paths[Self.nifty.number]!.level == plain.paths[Self.nifty.number]!.level)
    }

    @Test("the market follows: after a 3x volatility window opens, the nearest expiry's ATM true IV rises at least 2x; after a jump the chain's underlying falls with it")
    func surfaceFollows() throws {
        var spec = Self.spec
        spec.shocks = [
            MarketShock(date: Self.date, second: 2_700, index: nil, kind: .volatility(factor: 3, untilSecond: 5_400)),
            MarketShock(date: Self.date, second: 2_800, index: "NIFTY", kind: .jump(logReturn: PortableMath.log(0.95))),
        ]
        let plain = try Market(seed: 9, date: Self.date, indices: ["NIFTY"])
        let shocked = try Market(seed: 9, date: Self.date, indices: ["NIFTY"], spec: spec)
        let at = spec.calendar.time(Self.date, secondOfSession: 3_000)
        func atmIV(_ market: Market) throws -> (iv: Double, underlying: Int64) {
            let chain = try market.chain(index: "NIFTY", expiry: nil, at: at)
            let expiry = chain.expiries[0]
            let atm = expiry.rows.min { abs(Double($0.contract.strikePaise) / 100 - expiry.forward) < abs(Double($1.contract.strikePaise) / 100 - expiry.forward) }!
            return (atm.trueIV, chain.underlyingPaise)
        }
        let (before, after) = (try atmIV(plain), try atmIV(shocked))
        #expect(after.iv > 2 * before.iv, "ATM IV \(before.iv) -> \(after.iv)")
        let fall = Double(after.underlying) / Double(before.underlying)
        #expect(abs(fall - 0.95) < 0.01, "underlying ratio \(fall)")
    }
}
