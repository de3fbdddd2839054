/// The file-system port: the few operations the store needs, with explicit durability.
///
/// Appended bytes are durable only after `sync` returns: a crash (real or simulated) may lose any
/// suffix of what was appended since the last sync, and may keep a torn prefix of it. Paths are
/// `/`-separated and relative to nothing in particular: the store passes full paths under its
/// data directory.
public protocol FileSystem {
    /// The file's length in bytes, or nil if it does not exist.
    mutating func size(of path: String) throws(FileSystemError) -> Int?
    /// `length` bytes from `offset` (fewer at the end of the file).
    mutating func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8]
    /// Appends `bytes` to the file, creating it if needed. Not durable until `sync`.
    mutating func append(_ path: String, _ bytes: [UInt8]) throws(FileSystemError)
    /// Appends the bytes `bytes` points to, as `append(_:_:)` does, without an array to hold them.
    mutating func append(_ path: String, contentsOf bytes: UnsafeRawBufferPointer) throws(FileSystemError)
    /// Appends the bytes `write` stores at the pointer it is given, which has room for `capacity`
    /// bytes; `write` returns how many it stored (at most `capacity`), and they are appended as
    /// `append(_:contentsOf:)` would append them. A file system that can stages them nowhere (they go
    /// straight to its buffer); one that cannot stages them in `scratch`, which the caller lends and
    /// keeps from call to call.
    mutating func append(
        _ path: String, capacity: Int, scratch: inout [UInt8], writing write: (UnsafeMutablePointer<UInt8>) -> Int
    ) throws(FileSystemError)
    /// Makes everything appended to `path` so far durable (fsync).
    mutating func sync(_ path: String) throws(FileSystemError)
    /// Cuts the file to `length` bytes and makes the cut durable.
    mutating func truncate(_ path: String, to length: Int) throws(FileSystemError)
    /// Creates a directory and its parents; succeeds if it exists.
    mutating func createDirectory(_ path: String) throws(FileSystemError)
    /// Names of the entries in a directory, sorted bytewise; empty if it does not exist.
    mutating func list(_ directory: String) throws(FileSystemError) -> [String]
    /// Takes an exclusive lock on a directory for this process, or fails at once if another holds it.
    mutating func lockDirectory(_ directory: String) throws(FileSystemError)
}

extension FileSystem {
    /// Copies the bytes into an array and appends that.
    public mutating func append(_ path: String, contentsOf bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        try append(path, Array(bytes))
    }

    /// Stages the bytes in `scratch`, then appends them with `append(_:contentsOf:)`.
    public mutating func append(
        _ path: String, capacity: Int, scratch: inout [UInt8], writing write: (UnsafeMutablePointer<UInt8>) -> Int
    ) throws(FileSystemError) {
        try stagedAppend(path, capacity: capacity, scratch: &scratch, writing: write)
    }

    /// `append(_:capacity:scratch:writing:)` through `scratch`: what a file system without a buffer of its own does.
    public mutating func stagedAppend(
        _ path: String, capacity: Int, scratch: inout [UInt8], writing write: (UnsafeMutablePointer<UInt8>) -> Int
    ) throws(FileSystemError) {
        if scratch.count < capacity { scratch.append(contentsOf: repeatElement(0, count: max(capacity, 2 * scratch.count) - scratch.count)) }
        let count = scratch.withUnsafeMutableBufferPointer { write($0.baseAddress!) }
        precondition(count >= 0 && count <= capacity, "wrote \(count) bytes into room for \(capacity)")
        do {
            try scratch.withUnsafeBytes { bytes in try append(path, contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<count])) }
        } catch let error as FileSystemError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// The whole file, or nil if it does not exist.
    public mutating func readAll(_ path: String) throws(FileSystemError) -> [UInt8]? {
        guard let size = try size(of: path) else { return nil }
        return try read(path, offset: 0, length: size)
    }
}

/// Why a file-system operation failed; each case names the path.
public enum FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(path: String)
    /// The device is full (ENOSPC): nothing of the failed append was written.
    case noSpace(path: String)
    /// Another process (or writer) holds the directory's lock.
    case locked(path: String, holder: String)
    /// The simulated machine crashed during this operation; the process must restart.
    case crashed(path: String)
    /// Any other operating-system error, with its errno text.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file or directory"
        case .noSpace(let path): return "\(path): no space left on device"
        case .locked(let path, let holder):
            return "\(path) is locked by another writer (\(holder)); stop it or use another data directory"
        case .crashed(let path): return "\(path): the machine crashed during this operation"
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}
