import Foundation
import Platform

/// Measures pricing, Greeks and implied volatility per option, each against a simple baseline
/// (a naive closed form, bisection IV) timed in the same process, and prints JSON.
///
/// Usage: opsim-bench analytics [IV_CSV]   (IV_CSV defaults to fixtures/golden/iv_public.csv)
enum AnalyticsBenchmark {
    static func run(_ arguments: [String]) -> String {
        let ivPath = arguments.first ?? "fixtures/golden/iv_public.csv"
        let pricing = pricingSet(count: 4096)
        let ivSet = loadIVSet(path: ivPath) ?? generatedIVSet()
        var figures: [(String, String)] = []

        // Price + Greeks: batch over contiguous columns, scalar calls, naive baseline.
        var columns = GreeksColumns(count: pricing.batch.count)
        let batchNs = nanosecondsPerOption(count: pricing.batch.count) {
            BatchPricing.greeks(
                .blackScholesMerton, pricing.batch, volatilities: pricing.sigmas, into: &columns)
        }
        var sink = 0.0
        let scalarNs = nanosecondsPerOption(count: pricing.batch.count) {
            let b = pricing.batch
            for i in 0..<b.count {
                let g = BlackScholesMerton.greeks(
                    b.kinds[i], spot: b.underlying[i], strike: b.strikes[i], years: b.years[i],
                    rate: b.rates[i],
                    dividendYield: b.dividendYields[i], volatility: pricing.sigmas[i])
                sink += g.price + g.delta + g.gamma + g.vega + g.theta + g.rho + g.vanna + g.volga
            }
        }
        let naiveNs = nanosecondsPerOption(count: pricing.batch.count) {
            let b = pricing.batch
            for i in 0..<b.count {
                sink += NaiveBaseline.greeks(
                    b.kinds[i] == .call, b.underlying[i], b.strikes[i], b.years[i], b.rates[i],
                    b.dividendYields[i],
                    pricing.sigmas[i])
            }
        }
        figures += [
            ("greeks_batch_ns_per_option", fmt(batchNs)),
            ("greeks_scalar_ns_per_option", fmt(scalarNs)),
            ("greeks_naive_baseline_ns_per_option", fmt(naiveNs)),
            ("greeks_batch_options_per_second", fmt(1e9 / batchNs)),
            ("greeks_batch_vs_naive_ratio", fmt(batchNs / naiveNs)),
        ]

        // Implied volatility over the IV set, and bisection as the baseline.
        var results: [ImpliedVolatilityResult] = []
        let ivNs = nanosecondsPerOption(count: ivSet.batch.count) {
            BatchPricing.impliedVolatilities(
                .blackScholesMerton, ivSet.batch, prices: ivSet.prices, into: &results)
        }
        let bisectionNs = nanosecondsPerOption(count: ivSet.batch.count, repetitions: 3) {
            let b = ivSet.batch
            for i in 0..<b.count {
                sink += NaiveBaseline.bisectionIV(
                    b.kinds[i], ivSet.prices[i], b.underlying[i], b.strikes[i], b.years[i],
                    b.rates[i],
                    b.dividendYields[i])
            }
        }
        var repriceMax = 0.0
        var sigmaErrorMax = 0.0
        var unsolved = 0
        for i in 0..<ivSet.batch.count {
            guard let sigma = results[i].volatility else {
                unsolved += 1
                continue
            }
            let b = ivSet.batch
            let price = BlackScholesMerton.price(
                b.kinds[i], spot: b.underlying[i], strike: b.strikes[i], years: b.years[i],
                rate: b.rates[i],
                dividendYield: b.dividendYields[i], volatility: sigma)
            repriceMax = max(repriceMax, abs(price - ivSet.prices[i]) / ivSet.prices[i])
            if let truth = ivSet.truth?[i] {
                sigmaErrorMax = max(sigmaErrorMax, abs(sigma - truth))
            }
        }
        figures += [
            ("iv_set", "\"\(ivSet.name)\""), ("iv_options", "\(ivSet.batch.count)"),
            ("iv_ns_per_option", fmt(ivNs)),
            ("iv_bisection_baseline_ns_per_option", fmt(bisectionNs)),
            ("iv_speedup_over_bisection", fmt(bisectionNs / ivNs)),
            ("iv_max_relative_reprice_error", fmt(repriceMax)),
            ("iv_max_abs_sigma_error", fmt(sigmaErrorMax)),
            ("iv_unsolved", "\(unsolved)"),
        ]
        figures += ChainBenchmark.figures()
        figures.append(("checksum", fmt(sink.truncatingRemainder(dividingBy: 1))))
        return "{\"benchmark\":\"analytics\","
            + figures.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func fmt(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "null"
    }

    /// Median over `repetitions` of the time per option, each repetition running `body` until 50 ms pass.
    static func nanosecondsPerOption(count: Int, repetitions: Int = 5, _ body: () -> Void) -> Double
    {
        let clock = ContinuousClock()
        body()  // warm-up
        var samples: [Double] = []
        for _ in 0..<repetitions {
            var runs = 0
            let start = clock.now
            var elapsed = Duration.zero
            repeat {
                body()
                runs += 1
                elapsed = clock.now - start
            } while elapsed < .milliseconds(50)
            let seconds =
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            samples.append(seconds * 1e9 / Double(runs * count))
        }
        return samples.sorted()[samples.count / 2]
    }

    /// The anchors' price+Greeks inputs: S=100, ln(K/F) ~ U(-0.5, 0.5), T log-uniform 1 h..1 y,
    /// σ ~ U(0.05, 1.5), r ~ U(0, 8%), q = 0.
    static func pricingSet(count: Int) -> (batch: OptionBatch, sigmas: [Double]) {
        var random = SplitMix64(seed: 20_261_126)
        var batch = OptionBatch()
        var sigmas: [Double] = []
        for _ in 0..<count {
            let years = exp(log(1 / 8760.0) + (0 - log(1 / 8760.0)) * random.nextUnitInterval())
            let rate = 0.08 * random.nextUnitInterval()
            let forward = 100 * exp(rate * years)
            let strike = forward * exp(-0.5 + random.nextUnitInterval())
            batch.append(
                random.next(below: 2) == 0 ? .call : .put, underlying: 100, strike: strike,
                years: years,
                rate: rate, dividendYield: 0)
            sigmas.append(0.05 + 1.45 * random.nextUnitInterval())
        }
        return (batch, sigmas)
    }

    struct IVSet {
        var name: String
        var batch: OptionBatch
        var prices: [Double]
        var truth: [Double]?
    }

    static func loadIVSet(path: String) -> IVSet? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var batch = OptionBatch()
        var prices: [Double] = []
        var truth: [Double] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            guard f.count >= 8, let kind = OptionKind(code: f[0]) else { continue }
            let v = f.dropFirst().compactMap { Double($0) }
            guard v.count >= 7 else { continue }
            batch.append(
                kind, underlying: v[0], strike: v[1], years: v[2], rate: v[3], dividendYield: v[4])
            prices.append(v[5])
            truth.append(v[6])
        }
        return IVSet(name: path, batch: batch, prices: prices, truth: truth)
    }

    static func generatedIVSet() -> IVSet {
        let pricing = pricingSet(count: 2000)
        var prices: [Double] = []
        let b = pricing.batch
        for i in 0..<b.count {
            prices.append(
                BlackScholesMerton.price(
                    b.kinds[i], spot: b.underlying[i], strike: b.strikes[i], years: b.years[i],
                    rate: b.rates[i],
                    dividendYield: 0, volatility: pricing.sigmas[i]))
        }
        return IVSet(name: "generated", batch: b, prices: prices, truth: pricing.sigmas)
    }
}
