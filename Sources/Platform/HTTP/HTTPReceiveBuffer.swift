/// Bytes received but not yet consumed by a parser: a growable array with a read index.
///
/// Consumed bytes are dropped lazily (when everything is consumed, or when the consumed prefix
/// is at least half the storage), so a stream of pipelined messages costs amortised O(1) per byte.
struct HTTPReceiveBuffer: Sendable {
    private(set) var storage: [UInt8] = []
    private(set) var readIndex = 0

    /// Bytes received and not yet consumed.
    var readableCount: Int { storage.count - readIndex }

    mutating func append(_ raw: UnsafeRawBufferPointer) {
        compact()
        storage.append(contentsOf: raw)
    }

    mutating func append<C: Collection<UInt8>>(contentsOf bytes: C) {
        compact()
        storage.append(contentsOf: bytes)
    }

    /// Marks the next `count` readable bytes as consumed.
    mutating func consume(_ count: Int) {
        precondition(count >= 0 && count <= readableCount, "consume \(count) of \(readableCount)")
        readIndex += count
        if readIndex == storage.count {
            // Release storage grown by one large message rather than keeping it for the connection's life.
            if storage.capacity > 64 * 1024 { storage = [] } else { storage.removeAll(keepingCapacity: true) }
            readIndex = 0
        }
    }

    /// The readable bytes, as a copy.
    func readableBytes() -> [UInt8] { Array(storage[readIndex...]) }

    /// Removes and returns every readable byte.
    mutating func takeAll() -> [UInt8] {
        let bytes = readableBytes()
        consume(readableCount)
        return bytes
    }

    /// Calls `body` with the readable bytes.
    func withReadable<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let start = readIndex
        return try storage.withUnsafeBufferPointer { (all) throws(E) -> R in
            try body(UnsafeBufferPointer(rebasing: all[start...]))
        }
    }

    private mutating func compact() {
        if readIndex > 0 && readIndex >= storage.count / 2 {
            storage.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
