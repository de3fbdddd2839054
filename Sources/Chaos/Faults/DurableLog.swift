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
    private var chunks: [[UInt8]] = []
    /// Bytes held in memory (in `chunks`).
    private var memoryCount = 0
    private var spill: UnsafeMutablePointer<FILE>?
    private var spillTried = false
    /// Bytes written to the temporary file.
    private var spilled = 0
    /// Bytes bound for the temporary file, not yet written; they follow the `spilled` ones.
    private var pending: [UInt8] = []

    /// A log keeping `memoryLimit` bytes in memory; `chunkSize` and `spillBatch` (bytes) are
    /// small only in tests, to cross their boundaries often.
    init(memoryLimit: Int, chunkSize: Int = 1 << 20, spillBatch: Int = 16 << 10) {
        precondition(chunkSize > 0 && spillBatch > 0, "chunk \(chunkSize) and batch \(spillBatch) must be positive")
        self.memoryLimit = memoryLimit
        self.chunkSize = chunkSize
        self.spillBatch = spillBatch
    }

    deinit {
        if let spill { fclose(spill) }
    }

    /// Total bytes appended so far; the next append starts here.
    var count: Int { memoryCount + spilled + pending.count }

    /// Appends `bytes` and returns where they landed.
    func append<C: Collection>(_ bytes: C) -> Extent where C.Element == UInt8 {
        if let extent = bytes.withContiguousStorageIfAvailable({ append(contiguous: $0) }) { return extent }
        return Array(bytes).withUnsafeBufferPointer { append(contiguous: $0) }
    }

    private func append(contiguous bytes: UnsafeBufferPointer<UInt8>) -> Extent {
        let extent = Extent(start: count, count: bytes.count)
        guard extent.count > 0 else { return extent }
        if spilled == 0, pending.isEmpty, memoryCount + extent.count <= memoryLimit || !openSpill() {
            var done = 0
            while done < bytes.count {
                if chunks.isEmpty || chunks[chunks.count - 1].count == chunkSize {
                    chunks.append([])
                    chunks[chunks.count - 1].reserveCapacity(chunkSize)
                }
                let take = min(bytes.count - done, chunkSize - chunks[chunks.count - 1].count)
                chunks[chunks.count - 1].append(contentsOf: UnsafeBufferPointer(rebasing: bytes[done..<done + take]))
                done += take
            }
            memoryCount += bytes.count
            return extent
        }
        if pending.isEmpty, bytes.count >= spillBatch {
            // Large enough to write as it is: gathering it would only copy it once more.
            write(UnsafeRawBufferPointer(bytes))
            return extent
        }
        if pending.capacity < spillBatch { pending.reserveCapacity(spillBatch) }
        pending.append(contentsOf: bytes)
        if pending.count >= spillBatch { flushPending() }
        return extent
    }

    /// Writes the pending batch to the temporary file.
    private func flushPending() {
        pending.withUnsafeBytes { write($0) }
        pending.removeAll(keepingCapacity: true)
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

    /// Appends the bytes of `extent` (within the log) to `out`.
    func read(_ extent: Extent, into out: inout [UInt8]) {
        var start = extent.start
        let end = extent.start + extent.count
        while start < min(end, memoryCount) {
            let chunk = start / chunkSize
            let offset = start - chunk * chunkSize
            let stop = min(end, memoryCount, (chunk + 1) * chunkSize)
            out.append(contentsOf: chunks[chunk][offset..<offset + stop - start])
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
            out.append(contentsOf: pending[start - fileEnd..<end - fileEnd])
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
