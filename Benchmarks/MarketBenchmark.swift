import Foundation
import MarketSim

/// A full simulated session at one-second resolution: 5 indices × 4 expiries × 41 strikes × CE/PE
/// (1,640 contracts, ~37 M quote evaluations), with trades, volume and OI, on one core.
///
/// Then the on-demand path the mock broker uses: full quotes (depth, tape, OI) of the same
/// contracts asked one by one through a `QuoteCache`, for the first 300 seconds.
///
/// Baseline, measured in the same run: bare Black-76 evaluations per second (the pricing kernel
/// alone, no surface, quoting or trades), so the figure compares across machines as a ratio.
enum MarketBenchmark {
    static func run(seed: UInt64 = 20_241_015) -> String {
        let clock = ContinuousClock()
        // October 2024: every index still had weekly expiries, so each lists four expiries (1,640 contracts).
        let date = TradingDate(year: 2024, month: 10, day: 15)
        var market: Market?
        let setup = clock.measure { market = try? Market(seed: seed, date: date) }
        guard let market else { return "{\"benchmark\":\"market\",\"error\":\"cannot build the market\"}" }
        var stream = try! SessionStream(market: market, indices: Market.allIndices, expiries: 4, strikesEachSide: 20)
        var checksum: Int64 = 0
        let cpuBefore = threadCPUSeconds()
        let day = clock.measure {
            for second in 0...market.sessionSeconds {
                stream.advance(to: second)
                let bids = stream.bids
                let asks = stream.asks
                for i in stride(from: 0, to: bids.count, by: 37) { checksum &+= bids[i] &* 31 &+ asks[i] }
            }
        }
        let dayCPUSeconds = threadCPUSeconds() - cpuBefore
        // Cross-check the streamed end state against on-demand answers for a sample of contracts.
        var verified = true
        for i in stride(from: 0, to: stream.contracts.count, by: 101) {
            let contract = stream.contracts[i]
            if market.tradeTape(contract, through: market.sessionSeconds) != stream.tapes[i] { verified = false }
            let quote = market.quote(token: contract.instrumentToken, at: market.close)
            if quote?.openInterest != stream.tapes[i].openInterest || quote?.volume != stream.tapes[i].volume { verified = false }
        }
        let onDemand = onDemandQuotes(market: market, contracts: stream.contracts, clock: clock)
        let baselineCount = 5_000_000
        var sink = 0.0
        let baseline = clock.measure {
            for i in 0..<baselineCount {
                let strike = 23_000 + Double(i % 2_000)
                let p = Black76.prices(forward: 24_000, strike: strike, totalVariance: 0.0004 + Double(i % 7) * 1e-5,
                                       discount: 0.999)
                sink += p.call
            }
        }
        let setupSeconds = seconds(setup)
        let daySeconds = seconds(day)
        let quotes = Double(stream.quoteEvaluations)
        let trades = stream.tapes.reduce(0) { $0 + $1.tradeCount }
        let quotesPerSecond = quotes / daySeconds
        let baselinePerSecond = Double(baselineCount) / seconds(baseline)
        let peakMegabytes = peakResidentMegabytes()
        return """
            {"benchmark":"market","date":"\(date)","seed":\(seed),"contracts":\(stream.contracts.count),\
            "session_seconds":\(market.sessionSeconds),"quote_evaluations":\(stream.quoteEvaluations),"trades":\(trades),\
            "setup_seconds":\(format(setupSeconds)),"day_seconds":\(format(daySeconds)),\
            "total_seconds":\(format(setupSeconds + daySeconds)),"day_cpu_seconds":\(format(dayCPUSeconds)),\
            "quotes_per_second":\(Int(quotesPerSecond)),"quotes_per_cpu_second":\(Int(quotes / dayCPUSeconds)),\
            "speedup_over_real_time_cpu":\(format(Double(market.sessionSeconds) / (setupSeconds + dayCPUSeconds), 1)),\
            "speedup_over_real_time":\(format(Double(market.sessionSeconds) / (setupSeconds + daySeconds), 1)),\
            "peak_resident_megabytes":\(format(peakMegabytes, 1)),"verified_against_on_demand":\(verified),\
            "checksum":\(checksum),"baseline_black76_per_second":\(Int(baselinePerSecond)),\
            "quotes_per_baseline_black76":\(format(quotesPerSecond / baselinePerSecond)),\
            "on_demand_quotes":\(onDemand.quotes),"on_demand_seconds":\(format(onDemand.seconds)),\
            "on_demand_quotes_per_second":\(Int(Double(onDemand.quotes) / onDemand.seconds)),\
            "on_demand_quotes_per_baseline_black76":\(format(Double(onDemand.quotes) / onDemand.seconds / baselinePerSecond)),\
            "on_demand_verified":\(onDemand.verified),"baseline_sink":\(format(sink, 0))}
            """
    }

    /// Full quotes asked on demand as the mock broker asks them: every contract at each of the
    /// first 300 seconds, through one `QuoteCache` (slices shared per second, tapes extended);
    /// a sample is checked against uncached answers.
    static func onDemandQuotes(market: Market, contracts: [Contract], clock: ContinuousClock)
        -> (quotes: Int, seconds: Double, verified: Bool)
    {
        let cache = QuoteCache(market: market)
        var count = 0
        var volume: Int64 = 0
        let elapsed = clock.measure {
            for second in 0..<300 {
                let time = market.spec.calendar.time(market.date, secondOfSession: second)
                for contract in contracts {
                    if let quote = market.quote(token: contract.instrumentToken, at: time, cache: cache) {
                        volume &+= quote.volume
                        count += 1
                    }
                }
            }
        }
        let time = market.spec.calendar.time(market.date, secondOfSession: 299)
        let verified = count == 300 * contracts.count && volume > 0
            && stride(from: 0, to: contracts.count, by: 97).allSatisfy { i in
                market.quote(token: contracts[i].instrumentToken, at: time)
                    == market.quote(token: contracts[i].instrumentToken, at: time, cache: cache)
            }
        return (count, seconds(elapsed), verified)
    }

    /// CPU time consumed by this thread, in seconds: unlike wall time, unaffected by other load.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes (macOS bytes: divide again)
    }

    static func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
