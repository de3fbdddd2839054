import Glibc

/// The platter under `SimulatedDisk`: an append-only byte log that holds every durable byte of
/// every simulated file, so a whole session's CSV (about 2 GB) does not have to live in memory.
///
/// How this works: the first `memoryLimit` bytes of the log are kept in an array; bytes beyond it
/// go to an unlinked temporary file (`tmpfile()`, under `TMPDIR`), read back with `pread`. Nothing
/// is ever overwritten, so copies of a `SimulatedDisk` that share one log stay consistent: each
/// copy names its own extents. Where the bytes live never changes what a run computes; it only
/// moves them out of the process's resident memory. If no temporary file can be created the log
/// keeps everything in memory.
final class DurableLog: @unchecked Sendable {
    /// A run of bytes in the log.
    struct Extent: Equatable {
        var start: Int
        var count: Int
    }

    private let memoryLimit: Int
    private var memory: [UInt8] = []
    private var spill: UnsafeMutablePointer<FILE>?
    private var spillTried = false
    /// Bytes held in the temporary file.
    private var spilled = 0

    init(memoryLimit: Int) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if let spill { fclose(spill) }
    }

    /// Total bytes appended so far; the next append starts here.
    var count: Int { memory.count + spilled }

    /// Appends `bytes` and returns where they landed.
    func append<C: Collection>(_ bytes: C) -> Extent where C.Element == UInt8 {
        let extent = Extent(start: count, count: bytes.count)
        guard extent.count > 0 else { return extent }
        if spilled == 0, memory.count + extent.count <= memoryLimit || !openSpill() {
            memory.append(contentsOf: bytes)
            return extent
        }
        let array = Array(bytes)
        array.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let result = pwrite(fileno(spill!), raw.baseAddress! + written, raw.count - written, off_t(spilled + written))
                if result < 0 && errno == EINTR { continue }
                precondition(result > 0, "simulated disk: cannot write its temporary file (errno \(errno)); set TMPDIR to a directory with free space")
                written += result
            }
        }
        spilled += array.count
        return extent
    }

    /// Appends the bytes of `extent` (within the log) to `out`.
    func read(_ extent: Extent, into out: inout [UInt8]) {
        var start = extent.start
        let end = extent.start + extent.count
        if start < memory.count {
            let stop = min(end, memory.count)
            out.append(contentsOf: memory[start..<stop])
            start = stop
        }
        guard start < end else { return }
        let offset = start - memory.count
        let length = end - start
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
