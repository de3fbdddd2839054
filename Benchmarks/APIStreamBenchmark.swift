import Chaos
import Foundation
import Glibc
import Platform
import Synchronization

/// Chain updates on `WS /v1/stream` (the live `LiveStream` over the real HTTP server) to N
/// clients, with snapshots landing in the store at R per second: does every client get every
/// update, in order, without falling behind?
///
/// A feeder thread writes the next snapshot (the api-chain collection's, re-stamped 1/R s apart)
/// and tells the data source and the stream, as the live collector does. Each client subscribes
/// to `NIFTY/chain` and checks every message: `previous_sequence` must equal the last sequence it
/// saw (else a gap), and its lag is the stream's last published sequence minus the received one.
/// Baselines in the same run: the rate the feeder achieved (delivered/s should be clients × that),
/// and the publisher's work per update measured alone against the 1/R s budget.
enum APIStreamBenchmark {
    static let key = "bench-stream-key"

    static func run(arguments: [String]) -> String {
        let clients = Int(option("--clients") ?? "") ?? 100
        let rate = Double(option("--rate") ?? "") ?? 10
        let seconds = Double(option("--seconds") ?? "") ?? 10
        let warmup = Double(option("--warmup") ?? "") ?? 2
        let data: StoreDataSource<SnapshotStore<SimulatedDisk>>
        do { data = try APIChainBenchmark.collect() } catch { fail("api-stream: the simulated collection failed: \(error)") }
        let source = snapshots(data)
        guard !source.isEmpty else { fail("api-stream: the collection stored no snapshot") }
        let workMilliseconds = publishWorkMilliseconds(data)
        let keys = APIKeyStore(records: [
            APIKeyRecord(id: "bench", key: key, scopes: [.stream], burst: 1_000_000, requestsPerSecond: 1_000_000),
        ])
        let stream = LiveStream(data: data, indices: ["NIFTY"], keys: keys, clock: WallClock(), publishInterval: .seconds(1),
                                hub: StreamHub(knownIndices: ["NIFTY"], historyCapacity: 4096, unacknowledgedBytesMax: 16 << 20))
        let server: HTTPServer
        do {
            server = try HTTPServer.start(configuration: HTTPServerConfiguration(port: 0, outboundBytesMax: 16 << 20),
                                          router: Router(), webSockets: WebSocketRoutes([stream.endpoint]))
        } catch {
            fail("api-stream: \(error)")
        }
        stream.start()
        var fds: [Int32] = []
        do {
            for index in 0..<clients { fds.append(try subscribe(port: server.port, seed: UInt64(index))) }
        } catch {
            fail("api-stream: \(error)")
        }
        while stream.connectionCount < clients { usleep(1000) }
        usleep(200_000)  // let every subscribe message be handled before the first update
        let written = Mutex<[Int64: Instant]>([:])  // collected_at ns → monotonic write time
        let stop = Atomic<Bool>(false)
        let feeder = WallClock.spawn {
            let period = Duration.nanoseconds(Int64(1e9 / rate))
            var next = WallClock.monotonicNow()
            var number = 0
            var at = source.last!.collectedAt
            while !stop.load(ordering: .relaxed) {
                at = at + period
                var snapshot = source[number % source.count]
                snapshot.collectedAt = at
                snapshot.requestedAt = at
                _ = try? data.withStore { try $0.write(snapshot) }
                written.withLock { $0[at.nanosecondsSinceEpoch] = WallClock.monotonicNow() }
                stream.snapshotStored()
                number += 1
                next = next + period
                let wait = next - WallClock.monotonicNow()
                if wait > .zero { WallClock.sleep(for: wait) }
            }
        }
        let figures = receive(fds, stream: stream, written: written, warmup: warmup, seconds: seconds)
        stop.store(true, ordering: .relaxed)
        feeder.join()
        for fd in fds { close(fd) }
        stream.stop()
        server.shutdown()
        server.wait()
        let expectedPerSecond = Double(clients) * figures.publishedPerSecond
        return """
            {"benchmark":"api-stream","clients":\(clients),"target_updates_per_second":\(rate),"seconds":\(JSONBenchmark.round2(figures.seconds)),\
            "updates_published_per_second":\(JSONBenchmark.round2(figures.publishedPerSecond)),\
            "messages_delivered":\(figures.messages),"messages_per_second":\(Int(figures.messagesPerSecond)),\
            "expected_messages_per_second":\(Int(expectedPerSecond)),\
            "ratio_delivered_to_expected":\(JSONBenchmark.round2(figures.messagesPerSecond / max(1, expectedPerSecond))),\
            "gaps":\(figures.gaps),"max_lag_sequences":\(figures.maxLag),"clients_closed":\(figures.closed),\
            "latency_ms":{"p50":\(JSONBenchmark.round2(figures.latency(0.5))),"p99":\(JSONBenchmark.round2(figures.latency(0.99))),\
            "max":\(JSONBenchmark.round2(figures.latency(1)))},\
            "publish_work_ms":\(JSONBenchmark.round2(workMilliseconds)),\
            "publish_budget_ms":\(JSONBenchmark.round2(1000 / rate)),\
            "keeps_up":\(figures.gaps == 0 && figures.closed == 0 && figures.publishedPerSecond >= rate * 0.95)}
            """
    }

    /// The collection's snapshots, oldest first.
    static func snapshots(_ data: StoreDataSource<SnapshotStore<SimulatedDisk>>) -> [ChainSnapshot] {
        data.withStore { store -> [ChainSnapshot] in
            guard let date = store.dates(index: "NIFTY").last else { return [] }
            return store.snapshotTimes(index: "NIFTY", date: date).compactMap { at -> ChainSnapshot? in
                guard let rows = try? store.range(index: "NIFTY", date: date, from: at, to: at), let first = rows.first else { return nil }
                return ChainSnapshot(index: "NIFTY", tradingDate: date, collectedAt: at, requestedAt: first.requestedAt,
                                     underlyingPaise: first.underlyingPaise, rows: rows.map(\.quote))
            }
        }
    }

    /// What the publisher does per update, alone: the chain (ATM ±10) with IV and Greeks, its
    /// JSON, and the analytics summary; the median of 20 runs, in milliseconds.
    static func publishWorkMilliseconds(_ data: StoreDataSource<SnapshotStore<SimulatedDisk>>) -> Double {
        var times: [Double] = []
        for _ in 0..<20 {
            let start = WallClock.monotonicNow()
            if let chain = try? data.chain(index: "NIFTY", expiry: nil, bucket: nil, strikes: 10) {
                _ = PlatformAPI.chainJSON(chain)
            }
            _ = try? data.analytics(index: "NIFTY")
            times.append(Double((WallClock.monotonicNow() - start).wholeNanoseconds) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }

    /// Opens a stream connection with the bench key and subscribes it to NIFTY chains.
    static func subscribe(port: Int, seed: UInt64) throws -> Int32 {
        let fd = try WebSocketBroadcastBenchmark.connectAndUpgrade(
            port: port, keySeed: seed, path: "/v1/stream", headers: [("X-API-Key", key)])
        var random = SplitMix64(seed: ~seed)  // client frames need a mask key; any value does
        let subscribe = #"{"action":"subscribe","indices":["NIFTY"],"channels":["chain"]}"#
        var frame: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array(subscribe.utf8), maskingKey: UInt32(truncatingIfNeeded: random.next()),
                                     into: &frame)
        _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return fd
    }
}
