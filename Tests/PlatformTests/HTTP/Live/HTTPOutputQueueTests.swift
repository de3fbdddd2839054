#if canImport(Glibc)
import Glibc
import Testing

@testable import Platform

@Suite struct HTTPOutputQueueTests {
    @Test("bytes and shared bodies come out in order through any sequence of partial writes", arguments: Array(UInt64(1)...20))
    func partialConsumes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var queue = HTTPOutputQueue()
        var expected: [UInt8] = []
        var written: [UInt8] = []
        for step in 0..<200 {
            let length = Int(random.next(below: step % 7 == 0 ? 20_000 : 300))
            let piece = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if random.next(below: 2) == 0 { queue.appendBytes(piece) } else { queue.appendBody(piece) }
            expected.append(contentsOf: piece)
            let take = Int(random.next(below: UInt64(queue.count + 1)))
            written.append(contentsOf: queue.pendingBytes().prefix(take))
            queue.consume(take)
            #expect(queue.count == expected.count - written.count)
        }
        written.append(contentsOf: queue.pendingBytes())
        #expect(written == expected, "seed \(seed)")
    }

    @Test("one gathering send writes the chunks to a socket in order")
    func sendsToSocket() {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var queue = HTTPOutputQueue()
        let body = [UInt8](repeating: 0x42, count: 5000)
        queue.appendBytes(Array("head\r\n".utf8))
        queue.appendBody(body)
        queue.appendBytes(Array("tail".utf8))
        let written = queue.write(to: fds[0])
        #expect(written == 6 + 5000 + 4)
        var received = [UInt8](repeating: 0, count: 6000)
        let count = received.withUnsafeMutableBytes { read(fds[1], $0.baseAddress, $0.count) }
        #expect(Array(received[0..<count]) == Array("head\r\n".utf8) + body + Array("tail".utf8))
    }
}
#endif
