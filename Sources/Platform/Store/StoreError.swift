/// Why the store refused or failed an operation; each case names the file and what to do.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file system failed (full disk, I/O error, crash, lock held).
    case fileSystem(FileSystemError)
    /// A file's first line is not the store's header: it is not ours, or from another version.
    case unexpectedHeader(path: String, found: String)
    /// A complete line in the middle of a file does not parse: corruption that recovery must not hide.
    case corruptRow(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .fileSystem(let error): return error.description
        case .unexpectedHeader(let path, let found):
            return "\(path): first line is not the opsim store header (found \"\(found.prefix(80))\"); move the file away"
        case .corruptRow(let path, let line, let reason):
            return "\(path): line \(line) is corrupt (\(reason)); the store will not write to a corrupt file, repair or move it"
        }
    }
}

/// What recovery found in one file at start.
public struct FileRecovery: Sendable, Equatable {
    public var path: String
    /// Complete rows kept.
    public var rows: Int
    /// Distinct snapshots (collected instants) kept.
    public var snapshots: Int
    /// Bytes of a torn last line that were cut (0 when the file ended cleanly).
    public var cutBytes: Int
    /// The start of the cut text, for the report.
    public var cutPreview: String
}
