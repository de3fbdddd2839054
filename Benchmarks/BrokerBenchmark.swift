import Chaos
import Foundation
import MarketSim
import Platform

/// Measures 500-instrument `/quote` calls served by the mock broker and parsed by the Kite client, in memory.
///
/// Two markets: a snapshot table (quotes precomputed, so the figure is broker encode + bridge +
/// client decode) and the synthetic market (adds computing each quote). Baseline: SHA-256 over
/// the same response bytes, measured in the same run.
enum BrokerBenchmark {
    /// A market answering from a precomputed table: isolates the broker and client from quote computation.
    struct SnapshotMarket: BrokerMarket {
        let listed: [KiteInstrument]
        let quotes: [UInt32: KiteQuote]
        let inner: SyntheticBrokerMarket

        func instruments(on date: KiteDate) -> [KiteInstrument] { listed }
        func quote(token: UInt32, at instant: KiteInstant) -> KiteQuote? { quotes[token] }
        func minuteCandles(token: UInt32, from: KiteInstant, to: KiteInstant) -> [KiteCandle] { [] }
    }

    static let date = KiteDate(year: 2026, month: 11, day: 24)!

    static func run() -> String {
        let synthetic = SyntheticBrokerMarket(seed: 42, firstDate: date, expiries: 4, strikesPerSide: 70)
        let at = KiteInstant(ist: date, hour: 11, minute: 0)
        let listed = synthetic.instruments(on: date)
        var table: [UInt32: KiteQuote] = [:]
        for instrument in listed { table[instrument.instrumentToken] = synthetic.quote(token: instrument.instrumentToken, at: at) }
        let snapshot = SnapshotMarket(listed: listed, quotes: table, inner: synthetic)
        let keys = Array(listed.filter { $0.segment == "NFO-OPT" }.map(\.key).prefix(500))
        // The machine is shared: interleave baseline and measurement rounds and keep each one's best.
        var best = Figures(requestsPerSecond: 0, serveOnlyPerSecond: 0, parseOnlyPerSecond: 0, parseTopsPerSecond: 0, bodyBytes: 0)
        var bestSynthetic = 0.0
        var bestLTP = 0.0
        var bestHash = 0.0
        var digest: Digest?
        for _ in 0..<5 {
            let figures = measure(market: snapshot, keys: keys, at: at, seconds: 0.6)
            best.requestsPerSecond = max(best.requestsPerSecond, figures.requestsPerSecond)
            best.serveOnlyPerSecond = max(best.serveOnlyPerSecond, figures.serveOnlyPerSecond)
            best.parseOnlyPerSecond = max(best.parseOnlyPerSecond, figures.parseOnlyPerSecond)
            best.parseTopsPerSecond = max(best.parseTopsPerSecond, figures.parseTopsPerSecond)
            best.bodyBytes = figures.bodyBytes
            bestSynthetic = max(bestSynthetic, measure(market: synthetic, keys: keys, at: at, seconds: 0.3).requestsPerSecond)
            bestLTP = max(bestLTP, measure(market: snapshot, keys: keys, at: at, seconds: 0.3, mode: .ltp).requestsPerSecond)
            let body = [UInt8](repeating: 0x61, count: figures.bodyBytes)
            let hashTime = ContinuousClock().measure { for _ in 0..<50 { digest = SHA256.hash(body) } }
            bestHash = max(bestHash, 50 / seconds(hashTime))
        }
        return """
            {"benchmark":"broker","rounds":5,"statistic":"best of rounds","instruments_per_request":\(keys.count),\
            "response_bytes":\(best.bodyBytes),\
            "snapshot_market":{"requests_per_second":\(rounded(best.requestsPerSecond)),\
            "quotes_per_second":\(rounded(best.requestsPerSecond * Double(keys.count))),\
            "serve_only_requests_per_second":\(rounded(best.serveOnlyPerSecond)),\
            "parse_only_requests_per_second":\(rounded(best.parseOnlyPerSecond)),\
            "parse_tops_only_requests_per_second":\(rounded(best.parseTopsPerSecond))},\
            "synthetic_market":{"requests_per_second":\(rounded(bestSynthetic))},\
            "snapshot_market_ltp_route":{"requests_per_second":\(rounded(bestLTP))},\
            "target_requests_per_second":5000,\
            "baseline_sha256_of_one_response_per_second":\(rounded(bestHash)),\
            "ratio_end_to_end_over_sha256":\(String(format: "%.2f", best.requestsPerSecond / bestHash)),\
            "baseline_digest_prefix":"\(digest?.hexString.prefix(8) ?? "")"}
            """
    }

    struct Figures {
        var requestsPerSecond: Double
        var serveOnlyPerSecond: Double
        var parseOnlyPerSecond: Double
        /// The collector's decode: `parseQuoteTops` (tops matched to the keys, no strings or depth arrays).
        var parseTopsPerSecond: Double
        var bodyBytes: Int
    }

    static func measure<Market: BrokerMarket>(market: Market, keys: [String], at: KiteInstant, seconds budget: Double,
                                              mode: BrokerQuoteMode = .full) -> Figures {
        var broker = KiteBroker(market: market, configuration: KiteBrokerConfiguration(
            apiKey: "bench", apiSecret: "secret", checksum: BrokerBridge.checksum,
            profile: KiteBehaviourProfile(rateLimits: .unlimited)))
        var client = KiteClient(apiKey: "bench", apiSecret: "secret")
        let now = Instant(nanosecondsSinceEpoch: at.nanosecondsSinceEpoch)
        guard let token = BrokerBridge.requestToken(from: &broker, apiKey: "bench", at: now),
            (try? client.acceptSession(BrokerBridge.exchange(client.sessionRequest(requestToken: token), with: &broker, at: now))) != nil,
            let request = try? client.quoteRequest(keys, mode: mode, at: now)
        else { preconditionFailure("benchmark login failed") }
        let clock = ContinuousClock()
        var parsed = 0
        var count = 0
        var bodyBytes = 0
        let start = clock.now
        while seconds(clock.now - start) < budget {
            for _ in 0..<20 {
                let response = BrokerBridge.exchange(request, with: &broker, at: now)
                bodyBytes = response.body.count
                parsed += (try? client.parseQuotes(response).count) ?? -1_000_000
                count += 1
            }
        }
        let total = seconds(clock.now - start)
        precondition(parsed == count * keys.count, "benchmark parsed \(parsed) quotes, expected \(count * keys.count)")
        let kiteRequest = BrokerBridge.kiteRequest(request)
        var served = 0
        let serveTime = clock.measure {
            for _ in 0..<max(1, count / 2) { served += broker.handle(kiteRequest, at: at).body.count }
        }
        let response = BrokerBridge.exchange(request, with: &broker, at: now)
        var decoded = 0
        let parseTime = clock.measure {
            for _ in 0..<max(1, count / 2) { decoded += (try? client.parseQuotes(response).count) ?? 0 }
        }
        let index = QuoteKeyIndex(keys: keys)
        var matched = 0
        let topsTime = clock.measure {
            for _ in 0..<max(1, count / 2) {
                matched += (try? client.parseQuoteTops(response, keys: index, expectedFirst: 0).matched.count) ?? 0
            }
        }
        precondition(served > 0 && decoded > 0 && matched == decoded, "benchmark produced nothing, or tops disagree")
        return Figures(requestsPerSecond: Double(count) / total,
                       serveOnlyPerSecond: Double(max(1, count / 2)) / seconds(serveTime),
                       parseOnlyPerSecond: Double(max(1, count / 2)) / seconds(parseTime),
                       parseTopsPerSecond: Double(max(1, count / 2)) / seconds(topsTime), bodyBytes: bodyBytes)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
