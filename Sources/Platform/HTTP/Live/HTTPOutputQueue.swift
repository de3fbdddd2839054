#if canImport(Glibc)
import Glibc

/// A connection's unsent bytes as a FIFO of chunks, written with one gathering `sendmsg`.
///
/// Small pieces (heads, small bodies, WebSocket frames) are copied into an owned chunk at the
/// tail; bodies of `sharedBodyBytesMin` or more are kept by reference, so a response that is
/// the same array for every request is never copied in user space.
struct HTTPOutputQueue: HTTPOutputSink {
    static let sharedBodyBytesMin = 4096
    static let iovecsMax = 16

    private var chunks: [[UInt8]] = []
    /// Bytes of `chunks[0]` already written.
    private var offset = 0
    /// True when the last chunk was built here (appending to it copies nothing shared).
    private var lastIsOwned = false
    /// Bytes not yet written.
    private(set) var count = 0

    var outputByteCount: Int { count }

    mutating func appendBytes(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if lastIsOwned && chunks[chunks.count - 1].count < 64 * 1024 {
            chunks[chunks.count - 1].append(contentsOf: bytes)
        } else {
            chunks.append(bytes)
            lastIsOwned = true
        }
        count += bytes.count
    }

    mutating func appendBody(_ body: [UInt8]) {
        guard body.count >= HTTPOutputQueue.sharedBodyBytesMin else { return appendBytes(body) }
        chunks.append(body)
        lastIsOwned = false
        count += body.count
    }

    /// Marks `written` bytes as sent.
    mutating func consume(_ written: Int) {
        precondition(written >= 0 && written <= count, "consume \(written) of \(count)")
        count -= written
        var left = written
        var done = 0
        while left > 0 {
            let available = chunks[done].count - offset
            if left >= available {
                left -= available
                offset = 0
                done += 1
            } else {
                offset += left
                left = 0
            }
        }
        if done > 0 {
            chunks.removeFirst(done)
            if chunks.isEmpty { lastIsOwned = false }
        }
    }

    /// The unsent bytes, flattened (for tests and invariant checks).
    func pendingBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, chunk) in chunks.enumerated() { bytes.append(contentsOf: chunk[(index == 0 ? offset : 0)...]) }
        return bytes
    }

    /// Writes as much as `fd` takes with one gathering `sendmsg` over the first chunks (with
    /// MSG_NOSIGNAL, so a vanished peer is an EPIPE, not a SIGPIPE); returns its result.
    func write(to fd: Int32) -> Int {
        withIovecs(from: 0, into: []) { iovecs in
            var vectors = iovecs
            return vectors.withUnsafeMutableBufferPointer { buffer in
                var message = msghdr()
                message.msg_iov = buffer.baseAddress
                message.msg_iovlen = buffer.count
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
        }
    }

    /// Builds iovecs for chunks from `index` on, keeping each chunk's storage pinned while `body` runs.
    private func withIovecs(from index: Int, into iovecs: [iovec], _ body: ([iovec]) -> Int) -> Int {
        guard index < chunks.count && index < HTTPOutputQueue.iovecsMax else { return body(iovecs) }
        return chunks[index].withUnsafeBytes { raw in
            let skip = index == 0 ? offset : 0
            var next = iovecs
            next.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip))
            return withIovecs(from: index + 1, into: next, body)
        }
    }
}
#endif
