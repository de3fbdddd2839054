import Chaos
import Foundation
import MarketSim
import Platform
import Testing

/// The live driver in-process against the mock broker served over HTTP on loopback.
@Suite struct LiveCollectorTests {
    static func options(directory: String, broker: MockBrokerServer, credentials: BrokerCredentials) -> LiveCollectorOptions {
        let config = CollectorConfig(
            indices: [CollectorIndex.standard("NIFTY", strikesEachSide: 5)!], pollInterval: .milliseconds(200),
            quoteRequestsPerSecond: 10, pacingMargin: 0.05, seed: 7)
        return LiveCollectorOptions(config: config, apiKey: broker.apiKey, credentials: credentials, directory: directory,
                                    clock: broker.clock)
    }

    @Test("the live collector logs in through the redirect, stores complete snapshots, and stops with every row on disk")
    func loopback() throws {
        let broker = try MockBrokerServer(seed: 3, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 10)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let live = try LiveCollector(broker: BrokerURL(parsing: broker.url),
                                     options: Self.options(directory: directory, broker: broker, credentials: .apiSecret("opsim_secret")))
        #expect(live.recoveries.isEmpty)
        live.start()
        LiveSupport.waitUntil { live.status().snapshotsStored >= 6 }
        live.stop()
        #expect(live.wait() == .stopped)
        let status = live.status()
        #expect(status.phase == "stopped")
        #expect(status.snapshotsStored >= 6)
        #expect(status.storeErrors == 0)
        #expect(live.latestSnapshot(index: "NIFTY")?.rows.count == 88)  // ±5 strikes (11) × call and put × 4 expiry buckets
        let files = LiveSupport.csvFiles(in: directory)
        #expect(files.map(\.path) == ["2026-11-25/NIFTY.csv"])
        let check = LiveSupport.check(files.first?.bytes ?? [])
        #expect(check.problems.isEmpty)
        #expect(check.rows.count == status.rowsStored)
        #expect(check.snapshots == status.snapshotsStored)
        // Snapshots are stamped on the 200 ms poll grid, not when the loop happened to wake.
        #expect(check.rows.allSatisfy { $0.collectedAt.nanosecondsSinceEpoch % 200_000_000 == 0 })
    }

    @Test("a collector faster than the broker's limit gets 429s, retries them, and still stores each row once")
    func rateLimited() throws {
        let broker = try MockBrokerServer(seed: 4, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart, quotesPerSecond: 2)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("live429")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let live = try LiveCollector(broker: BrokerURL(parsing: broker.url),
                                     options: Self.options(directory: directory, broker: broker, credentials: .apiSecret("opsim_secret")))
        live.start()
        LiveSupport.waitUntil { live.status().metrics.rateLimited >= 3 && live.status().snapshotsStored >= 3 }
        live.stop()
        #expect(live.wait() == .stopped)
        let status = live.status()
        #expect(status.metrics.rateLimited >= 3)
        #expect(status.metrics.failures["rate_limited", default: 0] == status.metrics.rateLimited)
        #expect(status.snapshotsStored >= 3)
        let check = LiveSupport.check(LiveSupport.csvFiles(in: directory).first?.bytes ?? [])
        #expect(check.problems.isEmpty)
        #expect(check.rows.count == status.rowsStored)
    }

    @Test("against a broker answering 500s, 503s, partial and stale quotes at random, every stored row parses and is unique",
          arguments: [11, 12] as [UInt64])
    func faultyBroker(seed: UInt64) throws {
        let profile = KiteBehaviourProfile(
            faults: [KiteInjectedFault(.data, probability: 0.1, httpStatus: 500, family: .quote),
                     KiteInjectedFault(.network, probability: 0.1, httpStatus: 503)],
            partialQuoteProbability: 0.2, staleQuoteProbability: 0.1)
        let broker = try MockBrokerServer(seed: seed, indices: ["NIFTY"], sessionStart: LiveSupport.sessionStart,
                                          quotesPerSecond: 10, profile: profile)
        defer { broker.shutdown() }
        let directory = LiveSupport.temporaryDirectory("livefaults")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let live = try LiveCollector(broker: BrokerURL(parsing: broker.url),
                                     options: Self.options(directory: directory, broker: broker, credentials: .apiSecret("opsim_secret")))
        live.start()
        LiveSupport.waitUntil { live.status().snapshotsStored >= 10 && live.status().metrics.retries >= 2 }
        live.stop()
        #expect(live.wait() == .stopped)
        let status = live.status()
        #expect(status.metrics.retries >= 2)
        #expect(status.snapshotsStored >= 10)
        #expect(status.storeErrors == 0)
        let check = LiveSupport.check(LiveSupport.csvFiles(in: directory).first?.bytes ?? [])
        #expect(check.problems.isEmpty)
        #expect(check.rows.count == status.rowsStored)
        #expect(check.snapshots == status.snapshotsStored)
    }
}
