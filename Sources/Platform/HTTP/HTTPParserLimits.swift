/// The bounds a parser enforces; together they cap the memory one connection can make us hold.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Largest request line plus header fields, in bytes (over it: 431).
    public var headerSectionBytesMax: Int
    /// Longest request line, in bytes (over it: 414).
    public var requestLineBytesMax: Int
    /// Most header fields in one message (over it: 431).
    public var headerFieldCountMax: Int
    /// Largest body, in bytes, whether declared by Content-Length or received in chunks (over it: 413).
    public var bodyBytesMax: Int

    public init(
        headerSectionBytesMax: Int = 16 * 1024, requestLineBytesMax: Int = 8 * 1024,
        headerFieldCountMax: Int = 100, bodyBytesMax: Int = 1 << 20
    ) {
        precondition(requestLineBytesMax <= headerSectionBytesMax, "request line limit above header limit")
        self.headerSectionBytesMax = headerSectionBytesMax
        self.requestLineBytesMax = requestLineBytesMax
        self.headerFieldCountMax = headerFieldCountMax
        self.bodyBytesMax = bodyBytesMax
    }

    /// 16 KiB of headers, 8 KiB request line, 100 fields, 1 MiB body.
    public static let standard = HTTPParserLimits()
}
