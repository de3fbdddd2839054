import Chaos
import Foundation
import Glibc
import Platform
import Synchronization

extension APIStreamBenchmark {
    /// What the clients saw in the measured window (gaps and lag over the whole run).
    struct Figures {
        var seconds = 0.0
        var messages = 0
        var messagesPerSecond = 0.0
        var publishedPerSecond = 0.0
        var gaps = 0
        var maxLag: UInt64 = 0
        var closed = 0
        var latenciesMilliseconds: [Double] = []

        func latency(_ fraction: Double) -> Double {
            guard !latenciesMilliseconds.isEmpty else { return 0 }
            let sorted = latenciesMilliseconds.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        }
    }

    /// One client's unparsed bytes and the last chain sequence it saw.
    struct Client {
        var buffer: [UInt8] = []
        var lastSequence: UInt64 = 0
        var open = true
    }

    /// Reads every client's frames on this thread for `warmup + seconds`.
    static func receive(
        _ fds: [Int32], stream: LiveStream, written: borrowing Mutex<[Int64: Instant]>, warmup: Double, seconds: Double
    ) -> Figures {
        var clients = [Client](repeating: Client(), count: fds.count)
        var descriptors = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var figures = Figures()
        let start = WallClock.monotonicNow()
        var measuring = false
        var windowStart = start
        var publishedAtStart = 0
        while true {
            let now = WallClock.monotonicNow()
            if !measuring && now - start >= .nanoseconds(Int64(warmup * 1e9)) {
                measuring = true
                windowStart = now
                publishedAtStart = stream.counts.published
            }
            if measuring && now - windowStart >= .nanoseconds(Int64(seconds * 1e9)) { break }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) > 0 else { continue }
            for index in descriptors.indices where descriptors[index].revents != 0 && clients[index].open {
                let got = chunk.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                guard got > 0 else {
                    clients[index].open = false
                    descriptors[index].events = 0
                    figures.closed += 1
                    continue
                }
                clients[index].buffer += chunk[0..<got]
                let received = WallClock.monotonicNow()
                while let payload = nextFrame(&clients[index].buffer) {
                    guard let message = ChainMessage(payload) else { continue }
                    if clients[index].lastSequence != 0 && message.previous != clients[index].lastSequence { figures.gaps += 1 }
                    clients[index].lastSequence = message.sequence
                    let published = stream.lastSequence
                    figures.maxLag = max(figures.maxLag, published > message.sequence ? published - message.sequence : 0)
                    guard measuring else { continue }
                    figures.messages += 1
                    if let at = message.collectedAt, let wrote = written.withLock({ $0[at] }) {
                        figures.latenciesMilliseconds.append(Double((received - wrote).wholeNanoseconds) / 1e6)
                    }
                }
            }
        }
        figures.seconds = Double((WallClock.monotonicNow() - windowStart).wholeNanoseconds) / 1e9
        figures.messagesPerSecond = Double(figures.messages) / figures.seconds
        figures.publishedPerSecond = Double(stream.counts.published - publishedAtStart) / figures.seconds
        return figures
    }

    /// Removes and returns the next complete server frame's payload from `buffer`, or nil.
    static func nextFrame(_ buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
        guard buffer.count >= 2 else { return nil }
        let short = Int(buffer[1] & 0x7F)
        let headerLength = short == 126 ? 4 : short == 127 ? 10 : 2
        guard buffer.count >= headerLength else { return nil }
        var length = short
        if short == 126 { length = Int(buffer[2]) << 8 | Int(buffer[3]) }
        if short == 127 { length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) } }
        guard buffer.count >= headerLength + length else { return nil }
        let payload = buffer[headerLength..<headerLength + length]
        buffer.removeFirst(headerLength + length)
        return ArraySlice(Array(payload))
    }

    /// The fields of a chain message the benchmark checks, read without parsing the whole body.
    struct ChainMessage {
        var sequence: UInt64
        var previous: UInt64
        /// `at` in nanoseconds since the epoch.
        var collectedAt: Int64?

        init?(_ payload: ArraySlice<UInt8>) {
            let text = String(decoding: payload, as: UTF8.self)
            guard text.hasPrefix(#"{"type":"chain","sequence":"#) else { return nil }
            let afterSequence = text.dropFirst(#"{"type":"chain","sequence":"#.count)
            guard let sequence = UInt64(afterSequence.prefix { $0.isNumber }),
                  let marker = text.range(of: #","previous_sequence":"#, options: .backwards),
                  let previous = UInt64(text[marker.upperBound...].prefix { $0.isNumber })
            else { return nil }
            self.sequence = sequence
            self.previous = previous
            collectedAt = nil
            if let atMarker = text.range(of: #","at":""#) {
                let value = text[atMarker.upperBound...].prefix { $0 != "\"" }
                collectedAt = ISO8601.parse(String(value))?.nanosecondsSinceEpoch
            }
        }
    }
}
