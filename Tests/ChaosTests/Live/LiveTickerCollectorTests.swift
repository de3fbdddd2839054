#if canImport(Glibc)
import Chaos
import Foundation
import Glibc
import Platform
import Testing

/// The live collector streaming NIFTY over a real loopback WebSocket from the live broker's `/ws`.
@Suite(.serialized) struct LiveTickerCollectorTests {
    /// Polls `condition` every 50 ms for up to 30 s (a bound on a hang, not a speed threshold).
    static func waitUntil(_ condition: () -> Bool) {
        for _ in 0..<600 where !condition() { usleep(50_000) }
    }

    @Test("opsim collect's live loop subscribes in full mode, cuts complete snapshots from ticks, and stops cleanly")
    func streamsOverLoopback() throws {
        let live = try LiveBroker.start(port: 0, seed: 7, at: LiveBrokerTests.start, speed: 1,
                                        apiKey: LiveBrokerTests.apiKey, apiSecret: LiveBrokerTests.apiSecret, indices: ["NIFTY"])
        defer {
            live.shutdown()
            live.wait()
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-ticker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var index = CollectorIndex.standard("NIFTY", strikesEachSide: 3)!
        index.source = .ticker
        let config = CollectorConfig(indices: [index], pollInterval: .seconds(1), quoteRequestsPerSecond: 1, pacingMargin: 0.05, seed: 7)
        let options = LiveCollectorOptions(config: config, apiKey: LiveBrokerTests.apiKey,
                                           credentials: .apiSecret(LiveBrokerTests.apiSecret), directory: directory,
                                           clock: WallClock.starting(at: LiveBrokerTests.start))
        let collector = try LiveCollector(broker: BrokerURL(parsing: live.baseURL), options: options)
        collector.start()
        Self.waitUntil { (collector.status().ticker?.streamedQuotes ?? 0) >= 100 && collector.status().snapshotsStored >= 4 }
        collector.stop()
        #expect(collector.wait() == .stopped)
        let status = collector.status()
        let ticker = try #require(status.ticker)
        #expect(ticker.streamedQuotes >= 100, "ticks must feed snapshots: \(ticker)")
        #expect(ticker.framesDecoded >= 2 && ticker.disconnects == 0)
        #expect(status.storeErrors == 0 && status.snapshotsStored >= 4)
        #expect(status.metrics.lastCompleteness == 1)
        let rows = try #require(collector.latestSnapshot(index: "NIFTY")).rows
        #expect(rows.count == 7 * 2 * 4, "±3 strikes × call and put × 4 expiry buckets")
        #expect(rows.allSatisfy { $0.bidPaise > 0 && $0.askPaise >= $0.bidPaise && $0.openInterest > 0 })
    }
}
#endif
