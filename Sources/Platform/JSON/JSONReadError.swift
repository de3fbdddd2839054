/// Why `JSONReader` rejected its input, and the byte offset where it noticed.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, phrased as what was expected.
    public let reason: String
    /// Zero-based byte offset into the input.
    public let offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
