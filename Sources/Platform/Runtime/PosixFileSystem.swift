#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live file system: POSIX calls, `fsync` for durability, `flock` for the directory lock.
///
/// Descriptors opened for appending are cached per path, so a writer appending thousands of rows a
/// second does not reopen its file each time. Locks are held until the process exits.
public final class PosixFileSystem: FileSystem {
    private var appendDescriptors: [String: Int32] = [:]
    private var lockDescriptors: [String: Int32] = [:]

    public init() {}

    deinit {
        for descriptor in appendDescriptors.values { close(descriptor) }
        for descriptor in lockDescriptors.values { close(descriptor) }
    }

    private static func failure(_ path: String) -> FileSystemError {
        let code = errno
        if code == ENOENT { return .notFound(path: path) }
        if code == ENOSPC { return .noSpace(path: path) }
        return .io(path: path, reason: String(cString: strerror(code)))
    }

    public func size(of path: String) throws(FileSystemError) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw Self.failure(path)
        }
        return Int(info.st_size)
    }

    public func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(path) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, length - done, off_t(offset + done))
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.failure(path) }
            if count == 0 { break }
            done += count
        }
        bytes.removeLast(length - done)
        return bytes
    }

    private func appendDescriptor(_ path: String) throws(FileSystemError) -> Int32 {
        if let descriptor = appendDescriptors[path] { return descriptor }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(path) }
        appendDescriptors[path] = descriptor
        return descriptor
    }

    public func append(_ path: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let descriptor = try appendDescriptor(path)
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + done, bytes.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Self.failure(path) }
            done += count
        }
    }

    public func append(_ path: String, contentsOf bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        let descriptor = try appendDescriptor(path)
        var done = 0
        while done < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Self.failure(path) }
            done += count
        }
    }

    public func sync(_ path: String) throws(FileSystemError) {
        let descriptor = try appendDescriptor(path)
        guard fsync(descriptor) == 0 else { throw Self.failure(path) }
    }

    public func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw Self.failure(path) }
        let descriptor = try appendDescriptor(path)
        guard fsync(descriptor) == 0 else { throw Self.failure(path) }
    }

    public func createDirectory(_ path: String) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw Self.failure(prefix) }
            prefix += "/"
        }
    }

    public func list(_ directory: String) throws(FileSystemError) -> [String] {
        guard let handle = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw Self.failure(directory)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public func lockDirectory(_ directory: String) throws(FileSystemError) {
        guard lockDescriptors[directory] == nil else { return }
        try createDirectory(directory)
        let path = directory + "/.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? read(path, offset: 0, length: 64)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            close(descriptor)
            throw .locked(path: directory, holder: holder.isEmpty ? "unknown process" : "pid \(holder)")
        }
        _ = ftruncate(descriptor, 0)
        let pid = Array(String(getpid()).utf8)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, pid.count, 0) }
        lockDescriptors[directory] = descriptor
    }
}
