import Testing

@testable import MarketSim

/// The no-arbitrage and well-formedness properties of generated chains, over 200 generated
/// (seed, session, index, instant) cases: 12 markets × 17 instants, every listed expiry.
@Suite struct ChainPropertyTests {
    static let tick = QuoteRule.tick

    /// Each generated chain with a label naming its case, for failure messages.
    static func chains() -> [(label: String, market: Market, chain: OptionChain)] {
        MarketCases.pool.flatMap { item in
            item.seconds.map { second in
                let time = item.market.spec.calendar.time(item.market.date, secondOfSession: second)
                let chain = try! item.market.chain(index: item.index, at: time, trades: false)
                return ("seed \(item.seed) \(item.index) \(time)", item.market, chain)
            }
        }
    }

    static let generated = chains()

    @Test("200 generated chains: bid ≤ ask, bid ≥ 0, ask > 0, spread ≥ 1 tick, and the quote brackets the model price")
    func quotesWellFormed() {
        #expect(Self.generated.count >= 200)
        for (label, _, chain) in Self.generated {
            for expiry in chain.expiries {
                for row in expiry.rows {
                    #expect(row.bidTicks >= 0 && row.askTicks > 0 && row.askTicks - row.bidTicks >= 1, "\(label) \(row.contract.tradingsymbol)")
                    #expect(Double(row.bidTicks) * Self.tick <= row.modelPrice + 1e-9, "\(label) \(row.contract.tradingsymbol)")
                    #expect(Double(row.askTicks) * Self.tick >= row.modelPrice - 1e-9, "\(label) \(row.contract.tradingsymbol)")
                }
            }
        }
    }

    /// Calls and puts of one expiry, each in strike order.
    static func sides(_ expiry: ChainExpiry) -> (calls: [ChainRow], puts: [ChainRow]) {
        (expiry.rows.filter { $0.contract.right == .call }, expiry.rows.filter { $0.contract.right == .put })
    }

    @Test("200 generated chains: call mids non-increasing and put mids non-decreasing in strike; mid butterflies ≥ −1 tick")
    func midsMonotoneAndConvex() {
        for (label, _, chain) in Self.generated {
            for expiry in chain.expiries {
                let (calls, puts) = Self.sides(expiry)
                let callMids = calls.map { $0.bidTicks + $0.askTicks }  // doubled mids, in ticks
                let putMids = puts.map { $0.bidTicks + $0.askTicks }
                for i in 1..<callMids.count {
                    #expect(callMids[i] <= callMids[i - 1], "\(label) \(calls[i].contract.tradingsymbol)")
                    #expect(putMids[i] >= putMids[i - 1], "\(label) \(puts[i].contract.tradingsymbol)")
                }
                for i in 1..<(callMids.count - 1) {
                    // Uniform grid: mid(i−1) − 2·mid(i) + mid(i+1) ≥ −1 tick, in doubled ticks ≥ −2.
                    #expect(callMids[i - 1] - 2 * callMids[i] + callMids[i + 1] >= -2, "\(label) \(calls[i].contract.tradingsymbol)")
                    #expect(putMids[i - 1] - 2 * putMids[i] + putMids[i + 1] >= -2, "\(label) \(puts[i].contract.tradingsymbol)")
                }
            }
        }
    }

    @Test("200 generated chains: no free verticals or butterflies at executable prices, and model prices are monotone and convex")
    func executableNoArbitrage() {
        for (label, _, chain) in Self.generated {
            for expiry in chain.expiries {
                let (calls, puts) = Self.sides(expiry)
                let step = Double(calls[1].contract.strikePaise - calls[0].contract.strikePaise) / 100
                let d = expiry.discount
                let epsilon = 1e-9 * Double(chain.underlyingPaise) / 100
                for i in 0..<(calls.count - 1) {
                    #expect(calls[i].askTicks >= calls[i + 1].bidTicks, "\(label) \(calls[i].contract.tradingsymbol)")
                    #expect(Double(calls[i].bidTicks - calls[i + 1].askTicks) * Self.tick <= d * step + 1e-9)
                    #expect(puts[i + 1].askTicks >= puts[i].bidTicks, "\(label) \(puts[i].contract.tradingsymbol)")
                    #expect(Double(puts[i + 1].bidTicks - puts[i].askTicks) * Self.tick <= d * step + 1e-9)
                    let callSlope = (calls[i].modelPrice - calls[i + 1].modelPrice) / step
                    let putSlope = (puts[i + 1].modelPrice - puts[i].modelPrice) / step
                    #expect(callSlope >= -epsilon && callSlope <= d + epsilon, "\(label) \(calls[i].contract.tradingsymbol)")
                    #expect(putSlope >= -epsilon && putSlope <= d + epsilon, "\(label) \(puts[i].contract.tradingsymbol)")
                }
                for i in 1..<(calls.count - 1) {
                    for side in [calls, puts] {
                        #expect(side[i - 1].askTicks + side[i + 1].askTicks - 2 * side[i].bidTicks >= 0,
                                "\(label) \(side[i].contract.tradingsymbol)")
                        let butterfly = side[i - 1].modelPrice - 2 * side[i].modelPrice + side[i + 1].modelPrice
                        #expect(butterfly >= -epsilon, "\(label) \(side[i].contract.tradingsymbol) \(butterfly)")
                    }
                }
            }
        }
    }

    @Test("200 generated chains: put–call parity C − P ≈ (F − K)·e^(−rT) within the two half-spreads plus one tick, and the parity box holds")
    func putCallParity() {
        for (label, _, chain) in Self.generated {
            for expiry in chain.expiries {
                let (calls, puts) = Self.sides(expiry)
                let future = Double(expiry.futurePaise) / 100
                for (call, put) in zip(calls, puts) {
                    let strike = Double(call.contract.strikePaise) / 100
                    let midC = Double(call.bidTicks + call.askTicks) / 2 * Self.tick
                    let midP = Double(put.bidTicks + put.askTicks) / 2 * Self.tick
                    let halfSpreads = Double(call.askTicks - call.bidTicks + put.askTicks - put.bidTicks) / 2 * Self.tick
                    let gap = abs(midC - midP - expiry.discount * (future - strike))
                    #expect(gap <= halfSpreads + Self.tick + 1e-9, "\(label) \(call.contract.tradingsymbol) gap \(gap)")
                    // Box with the futures quote: F_bid = future − 1 tick, F_ask = future + 1 tick.
                    #expect(Double(call.bidTicks - put.askTicks) * Self.tick
                        <= expiry.discount * (future + Self.tick - strike) + 1e-9)
                    #expect(Double(call.askTicks - put.bidTicks) * Self.tick
                        >= expiry.discount * (future - Self.tick - strike) - 1e-9)
                }
            }
        }
    }

    @Test("200 generated chains: total implied variance is non-decreasing in expiry at fixed log-moneyness k on [−1.5, 1.5]")
    func noCalendarArbitrage() throws {
        for item in MarketCases.pool {
            for second in item.seconds {
                let expiries = try item.market.expiries(index: item.index)
                let slices = try expiries.map { try item.market.slice(index: item.index, expiry: $0.date, second: second) }
                for (near, far) in zip(slices, slices.dropFirst()) {
                    #expect(far.tau >= near.tau)
                    var k = -1.5
                    while k <= 1.5 {
                        let wNear = near.surface.totalVariance(k: k, theta: near.theta)
                        let wFar = far.surface.totalVariance(k: k, theta: far.theta)
                        #expect(wFar >= wNear - 1e-10, "seed \(item.seed) \(item.index) s=\(second) k=\(k)")
                        k += 0.01
                    }
                }
            }
        }
    }

    @Test("the true IV is the implied volatility of the model price (round trip within 1e-6 where vega is material)")
    func trueIVRoundTrip() {
        for (label, _, chain) in Self.generated.prefix(60) {
            for expiry in chain.expiries where expiry.tau > 0 {
                let forward = expiry.forward
                for row in expiry.rows where row.contract.right == .call && row.contract.strikePaise % 50_000 == 0 {
                    let strike = Double(row.contract.strikePaise) / 100
                    let intrinsic = max(0, expiry.discount * (forward - strike))
                    guard row.modelPrice - intrinsic > 1e-4 * forward else { continue }
                    guard let w = Black76.impliedTotalVariance(
                        call: row.modelPrice, forward: forward, strike: strike, discount: expiry.discount)
                    else {
                        Issue.record("\(label) \(row.contract.tradingsymbol): no implied vol")
                        continue
                    }
                    #expect(abs((w / expiry.tau).squareRoot() - row.trueIV) <= 1e-6, "\(label) \(row.contract.tradingsymbol)")
                }
            }
        }
    }
}

@Suite struct SpreadShapeTests {
    /// Median of a non-empty list.
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    @Test("spreads as a share of the mid are wider for cheap far-from-the-money options, and wider near the close than at midday")
    func spreadShape() throws {
        var wingWider = 0
        var closeWider = 0
        let pool = MarketCases.pool
        for item in pool {
            let market = item.market
            let calendar = market.spec.calendar
            let midday = try market.chain(index: item.index, at: calendar.time(market.date, secondOfSession: 11_000), trades: false)
            let late = try market.chain(index: item.index, at: calendar.time(market.date, secondOfSession: 22_400), trades: false)
            func spreads(_ chain: OptionChain) -> (atm: [Double], wing: [Double], all: [Double]) {
                var atm: [Double] = []
                var wing: [Double] = []
                var all: [Double] = []
                for row in chain.expiries[min(1, chain.expiries.count - 1)].rows {
                    let mid = Double(row.bidTicks + row.askTicks) / 2
                    let share = Double(row.askTicks - row.bidTicks) / mid
                    all.append(Double(row.askTicks - row.bidTicks))
                    let moneyness = abs(Double(row.contract.strikePaise) / Double(chain.underlyingPaise) - 1)
                    if moneyness < 0.005 { atm.append(share) }
                    if moneyness > 0.03 && row.modelPrice < 0.2 * Double(chain.underlyingPaise) / 100 * 0.01 { wing.append(share) }
                }
                return (atm, wing, all)
            }
            let m = spreads(midday)
            if !m.atm.isEmpty, !m.wing.isEmpty, Self.median(m.wing) > Self.median(m.atm) { wingWider += 1 }
            if Self.median(spreads(late).all) >= Self.median(m.all) { closeWider += 1 }
        }
        #expect(wingWider >= pool.count - 2)
        #expect(closeWider >= pool.count - 2)
    }
}
