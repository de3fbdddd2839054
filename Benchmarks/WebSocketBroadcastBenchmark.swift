import Foundation
import Glibc
import Platform
import Synchronization

/// The anchors' WebSocket broadcast workload: one server pushes a ~300-byte JSON tick (new seq and
/// timestamp each tick, serialised once per tick) to N subscribers at the highest rate they take.
///
/// `ws-server` serves `/ticks` and broadcasts once `--clients` subscribers are connected, until
/// SIGINT/SIGTERM; `ws-client` opens the subscribers, warms up, then counts delivered messages.
/// Run them as two processes pinned to different cores, as the anchors were.
enum WebSocketBroadcastBenchmark {
    static func serve(port: Int, subscribers: Int, loops: Int) throws -> Int32 {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let connected = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let ticks = Atomic<Int>(0)
        let endpoint = WebSocketEndpoint(
            path: "/ticks", onOpen: { _ in connected.add(1, ordering: .relaxed) },
            onClose: { _ in connected.subtract(1, ordering: .relaxed) })
        let configuration = HTTPServerConfiguration(port: port, loopCount: loops, outboundBytesMax: 16 << 20)
        let server = try HTTPServer.start(configuration: configuration, router: Router(), webSockets: WebSocketRoutes([endpoint]))
        FileHandle.standardError.write(Data("opsim-bench ws-server: ws://127.0.0.1:\(server.port)/ticks, broadcasting once \(subscribers) subscribe\n".utf8))
        let broadcaster = Thread {
            while connected.load(ordering: .relaxed) < subscribers && !stop.load(ordering: .relaxed) { usleep(1000) }
            var sequence: Int64 = 0
            var output = JSONOutput(reservingCapacity: 512)
            while !stop.load(ordering: .relaxed) {
                sequence += 1
                output.reset()
                tick(sequence: sequence, into: &output)
                let frame = WebSocketFrameEncoder.serverFrame(.text, output.bytes)
                while !server.broadcast(frame: frame, path: "/ticks") {
                    if stop.load(ordering: .relaxed) { break }
                    sched_yield()
                }
                ticks.add(1, ordering: .relaxed)
            }
        }
        broadcaster.start()
        var received: Int32 = 0
        sigwait(&signals, &received)
        stop.store(true, ordering: .relaxed)
        server.shutdown()
        server.wait()
        print(#"{"benchmark":"ws-server","ticks_broadcast":\#(ticks.load(ordering: .relaxed)),"dropped_slow_peers":\#(server.droppedSlowPeers)}"#)
        return 0
    }

    /// A tick like the anchors' (~300 bytes of JSON).
    static func tick(sequence: Int64, into out: inout JSONOutput) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        out.beginObject()
        out.key("type"); out.string("tick")
        out.key("seq"); out.int(sequence)
        out.key("ts_ns"); out.int(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
        out.key("symbol"); out.string("NIFTY26NOV22000CE")
        out.key("underlying"); out.string("NIFTY")
        out.key("expiry"); out.string("2026-11-26")
        out.key("strike"); out.int(22000)
        out.key("side"); out.string("CE")
        out.key("ltp"); out.double(216.35)
        out.key("bid"); out.double(216.3)
        out.key("ask"); out.double(216.4)
        out.key("bid_qty"); out.int(1500)
        out.key("ask_qty"); out.int(2250)
        out.key("volume"); out.int(1_972_675)
        out.key("oi"); out.int(3_321_875)
        out.key("iv"); out.double(0.1548)
        out.key("delta"); out.double(0.716)
        out.key("gamma"); out.double(0.00021)
        out.key("theta"); out.double(-8.87)
        out.key("vega"); out.double(3.79)
        out.endObject()
    }

    /// Opens `count` subscribers, waits `warmup`, then counts complete messages for `duration`.
    static func subscribe(port: Int, count: Int, warmupSeconds: Double, seconds: Double) throws -> String {
        var fds: [Int32] = []
        for index in 0..<count {
            fds.append(try connectAndUpgrade(port: port, keySeed: UInt64(index)))
        }
        var counters = [FrameCounter](repeating: FrameCounter(), count: count)
        var descriptors = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let clock = ContinuousClock()
        let start = clock.now
        var measuring = false
        var measureStart = start
        var baseline = 0
        var bytes = 0
        var bytesBaseline = 0
        while true {
            let elapsed = KernelBenchmark.seconds(clock.now - start)
            if !measuring && elapsed >= warmupSeconds {
                measuring = true
                measureStart = clock.now
                baseline = counters.reduce(0) { $0 + $1.messages }
                bytesBaseline = bytes
            }
            if measuring && KernelBenchmark.seconds(clock.now - measureStart) >= seconds { break }
            guard poll(&descriptors, nfds_t(descriptors.count), 100) >= 0 else { continue }
            for index in descriptors.indices where descriptors[index].revents != 0 {
                let got = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if got <= 0 { throw BenchmarkError("subscriber \(index) was closed by the server (dropped as too slow?)") }
                bytes += got
                buffer.withUnsafeBufferPointer { counters[index].scan(UnsafeBufferPointer(rebasing: $0[0..<got])) }
            }
        }
        let measured = KernelBenchmark.seconds(clock.now - measureStart)
        let messages = counters.reduce(0) { $0 + $1.messages } - baseline
        for fd in fds { close(fd) }
        return """
            {"benchmark":"ws-broadcast","subscribers":\(count),"seconds":\(JSONBenchmark.round2(measured)),\
            "messages_delivered":\(messages),"messages_per_second":\(Int(Double(messages) / measured)),\
            "mib_per_second":\(JSONBenchmark.round2(Double(bytes - bytesBaseline) / measured / 1_048_576))}
            """
    }

    /// Connects to 127.0.0.1:`port`, upgrades `path` to a WebSocket (sending `headers` with the
    /// handshake) and returns the socket, positioned at the first frame.
    static func connectAndUpgrade(port: Int, keySeed: UInt64, path: String = "/ticks",
                                  headers: [(name: String, value: String)] = []) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw BenchmarkError("connect to port \(port) failed") }
        var random = SplitMix64(seed: keySeed)
        let key = Base64.encode((0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        var request = WebSocketHandshake.request(host: "127.0.0.1:\(port)", path: path, key: key)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        var wire: [UInt8] = []
        request.serialize(into: &wire)
        _ = wire.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        // Read the 101 byte by byte so no frame bytes are consumed with it.
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard read(fd, &byte, 1) == 1 else { throw BenchmarkError("upgrade failed") }
            head.append(byte)
        }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw BenchmarkError("upgrade refused: \(String(decoding: head, as: UTF8.self))")
        }
        return fd
    }
}

/// Counts complete server frames in a byte stream without copying payloads.
struct FrameCounter {
    var messages = 0
    private var header: [UInt8] = []
    private var payloadRemaining = 0

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < bytes.count {
            if payloadRemaining > 0 {
                let take = min(payloadRemaining, bytes.count - index)
                payloadRemaining -= take
                index += take
                if payloadRemaining == 0 { messages += 1 }
                continue
            }
            header.append(bytes[index])
            index += 1
            guard header.count >= 2 else { continue }
            let short = Int(header[1] & 0x7F)
            let needed = short == 126 ? 4 : short == 127 ? 10 : 2
            guard header.count == needed else { continue }
            var length = short
            if short == 126 { length = Int(header[2]) << 8 | Int(header[3]) }
            if short == 127 { length = header[2..<10].reduce(0) { $0 << 8 | Int($1) } }
            header.removeAll(keepingCapacity: true)
            if length == 0 { messages += 1 } else { payloadRemaining = length }
        }
    }
}
