import Glibc

/// The platter under `SimulatedDisk`: an append-only byte log that holds every durable byte of
/// every simulated file, so a whole session's CSV (about 2 GB) does not have to live in memory.
///
/// How this works: the first `memoryLimit` bytes of the log are kept in memory, in chunks of
/// `chunkSize` bytes reserved whole (so the log never reallocates and copies what it holds, and
/// each page is faulted in once); bytes beyond it go to an unlinked temporary file (`tmpfile()`,
/// under `TMPDIR`): appends shorter than `spillBatch` are gathered into one `pwrite` per batch,
/// longer ones are written as they are (a snapshot's rows, tens of kilobytes, are not copied
/// again). They are read back with `pread`, or from the batch while it is pending. Nothing is
/// ever overwritten, so copies of a `SimulatedDisk` that share one log stay consistent: each copy
/// names its own extents. Where the bytes live never changes what a run computes; it only moves them out of the
/// process's resident memory. If no temporary file can be created the log keeps everything in memory.
///
/// A log made with `keepsBytes: false` keeps none: it hands out the same extents (a running count of
/// bytes), lets each append write into one reused scratch buffer and forgets the bytes at once, so a run
/// that never reads what it stores neither holds nor writes them anywhere. It cannot be read.
final class DurableLog: @unchecked Sendable {
    /// A run of bytes in the log.
    struct Extent: Equatable {
        var start: Int
        var count: Int
    }

    /// Capacity of each in-memory chunk; every chunk but the last is full.
    private let chunkSize: Int
    /// Bytes gathered before one write to the temporary file; an append at least this long,
    /// with nothing gathered before it, is written as it is.
    private let spillBatch: Int
    private let memoryLimit: Int
    /// In-memory chunks of `chunkSize` bytes each, allocated whole.
    private var chunks: [UnsafeMutablePointer<UInt8>] = []
    /// Bytes held in memory (in `chunks`).
    private var memoryCount = 0
    private var spill: UnsafeMutablePointer<FILE>?
    private var spillTried = false
    /// Bytes written to the temporary file.
    private var spilled = 0
    /// Bytes bound for the temporary file, not yet written (`pending[0..<pendingCount]`); they follow the `spilled` ones.
    private var pending: UnsafeMutablePointer<UInt8>?
    private var pendingCount = 0
    private var pendingCapacity = 0
    /// Where `append(capacity:_:)` stages bytes that cannot be written in place.
    private var scratch: [UInt8] = []
    /// Whether appended bytes are kept (readable); false for a log that only counts them.
    let keepsBytes: Bool
    /// Bytes appended to a log that keeps none.
    private var dropped = 0

    /// A log keeping `memoryLimit` bytes in memory; `chunkSize` and `spillBatch` (bytes) are
    /// small only in tests, to cross their boundaries often. With `keepsBytes` false it keeps no
    /// byte at all (and the other settings do not matter).
    init(memoryLimit: Int, chunkSize: Int = 1 << 20, spillBatch: Int = 16 << 10, keepsBytes: Bool = true) {
        precondition(chunkSize > 0 && spillBatch > 0, "chunk \(chunkSize) and batch \(spillBatch) must be positive")
        self.memoryLimit = memoryLimit
        self.chunkSize = chunkSize
        self.spillBatch = spillBatch
        self.keepsBytes = keepsBytes
    }

    deinit {
        if let spill { fclose(spill) }
        for chunk in chunks { chunk.deallocate() }
        pending?.deallocate()
    }

    /// Total bytes appended so far; the next append starts here.
    var count: Int { memoryCount + spilled + pendingCount + dropped }

    /// Appends `bytes` and returns where they landed.
    func append<C: Collection>(_ bytes: C) -> Extent where C.Element == UInt8 {
        if let extent = bytes.withContiguousStorageIfAvailable({ append(contiguous: $0) }) { return extent }
        return Array(bytes).withUnsafeBufferPointer { append(contiguous: $0) }
    }

    /// Appends the bytes `write` stores at the pointer it is given (room for `capacity` bytes; it
    /// returns how many it stored) and returns where they landed. They are written in place: into
    /// the current memory chunk when they fit in it, else into the spill batch; staged and copied
    /// only when memory holds the log and the chunk's rest is too short.
    func append(capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> Extent {
        let start = count
        let written: Int
        if !keepsBytes {
            if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: max(capacity, 2 * scratch.count)) }
            written = scratch.withUnsafeMutableBufferPointer { write($0.baseAddress!) }
            precondition(written >= 0 && written <= capacity, "wrote \(written) bytes into room for \(capacity)")
            dropped += written
            return Extent(start: start, count: written)
        }
        if spilled == 0, pendingCount == 0, memoryCount + capacity <= memoryLimit || !openSpill() {
            let used = memoryCount % chunkSize
            if used == 0 && capacity <= chunkSize {
                if memoryCount == chunks.count * chunkSize { chunks.append(.allocate(capacity: chunkSize)) }
                written = write(chunks[memoryCount / chunkSize])
            } else if capacity <= chunkSize - used {
                written = write(chunks[memoryCount / chunkSize] + used)
            } else {
                if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
                let staged = scratch.withUnsafeMutableBufferPointer { write($0.baseAddress!) }
                precondition(staged >= 0 && staged <= capacity, "wrote \(staged) bytes into room for \(capacity)")
                return scratch.withUnsafeBufferPointer { append(contiguous: UnsafeBufferPointer(rebasing: $0[..<staged])) }
            }
            precondition(written >= 0 && written <= capacity, "wrote \(written) bytes into room for \(capacity)")
            memoryCount += written
            return Extent(start: start, count: written)
        }
        // At least one byte of room, so the batch exists even for an empty append after a spill.
        reservePending(pendingCount + max(capacity, 1))
        written = write(pending! + pendingCount)
        precondition(written >= 0 && written <= capacity, "wrote \(written) bytes into room for \(capacity)")
        pendingCount += written
        if pendingCount >= spillBatch { flushPending() }
        return Extent(start: start, count: written)
    }

    private func append(contiguous bytes: UnsafeBufferPointer<UInt8>) -> Extent {
        let extent = Extent(start: count, count: bytes.count)
        guard extent.count > 0 else { return extent }
        if !keepsBytes {
            dropped += extent.count
            return extent
        }
        if spilled == 0, pendingCount == 0, memoryCount + extent.count <= memoryLimit || !openSpill() {
            var done = 0
            while done < bytes.count {
                if memoryCount == chunks.count * chunkSize { chunks.append(.allocate(capacity: chunkSize)) }
                let used = memoryCount % chunkSize
                let take = min(bytes.count - done, chunkSize - used)
                (chunks[memoryCount / chunkSize] + used).update(from: bytes.baseAddress! + done, count: take)
                done += take
                memoryCount += take
            }
            return extent
        }
        if pendingCount == 0, bytes.count >= spillBatch {
            // Large enough to write as it is: gathering it would only copy it once more.
            write(UnsafeRawBufferPointer(bytes))
            return extent
        }
        reservePending(pendingCount + bytes.count)
        (pending! + pendingCount).update(from: bytes.baseAddress!, count: bytes.count)
        pendingCount += bytes.count
        if pendingCount >= spillBatch { flushPending() }
        return extent
    }

    /// Makes the spill batch hold at least `capacity` bytes, keeping what it holds.
    private func reservePending(_ capacity: Int) {
        guard capacity > pendingCapacity else { return }
        let grown = max(capacity, 2 * pendingCapacity, spillBatch)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        if let pending {
            fresh.update(from: pending, count: pendingCount)
            pending.deallocate()
        }
        pending = fresh
        pendingCapacity = grown
    }

    /// Writes the pending batch to the temporary file.
    private func flushPending() {
        write(UnsafeRawBufferPointer(start: pending, count: pendingCount))
        pendingCount = 0
    }

    /// Writes `raw` to the temporary file after the bytes already there.
    private func write(_ raw: UnsafeRawBufferPointer) {
        var written = 0
        while written < raw.count {
            let result = pwrite(fileno(spill!), raw.baseAddress! + written, raw.count - written, off_t(spilled + written))
            if result < 0 && errno == EINTR { continue }
            precondition(result > 0, "simulated disk: cannot write its temporary file (errno \(errno)); set TMPDIR to a directory with free space")
            written += result
        }
        spilled += raw.count
    }

    /// Appends the bytes of `extent` (within the log) to `out`; the log must keep its bytes.
    func read(_ extent: Extent, into out: inout [UInt8]) {
        precondition(keepsBytes || extent.count == 0, "simulated disk: read from a log that keeps no bytes")
        var start = extent.start
        let end = extent.start + extent.count
        while start < min(end, memoryCount) {
            let chunk = start / chunkSize
            let offset = start - chunk * chunkSize
            let stop = min(end, memoryCount, (chunk + 1) * chunkSize)
            out.append(contentsOf: UnsafeBufferPointer(start: chunks[chunk] + offset, count: stop - start))
            start = stop
        }
        let fileEnd = memoryCount + spilled
        if start < min(end, fileEnd) {
            let offset = start - memoryCount
            let length = min(end, fileEnd) - start
            let base = out.count
            out.append(contentsOf: repeatElement(0, count: length))
            out.withUnsafeMutableBytes { raw in
                var done = 0
                while done < length {
                    let result = pread(fileno(spill!), raw.baseAddress! + base + done, length - done, off_t(offset + done))
                    if result < 0 && errno == EINTR { continue }
                    precondition(result > 0, "simulated disk: cannot read its temporary file (errno \(errno))")
                    done += result
                }
            }
            start += length
        }
        if start < end {
            out.append(contentsOf: UnsafeBufferPointer(start: pending! + (start - fileEnd), count: end - start))
        }
    }

    /// Opens the temporary file on first need; false if none can be created.
    private func openSpill() -> Bool {
        if spill != nil { return true }
        if spillTried { return false }
        spillTried = true
        spill = tmpfile()
        return spill != nil
    }
}
