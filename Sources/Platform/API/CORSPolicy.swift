/// Cross-origin rules: which browser origins may call the API, with which methods and headers.
///
/// Origins are matched exactly against an explicit allow-list (no wildcards with credentials),
/// so a page on an unlisted origin gets no `Access-Control-Allow-Origin` and the browser blocks it.
public struct CORSPolicy: Sendable, Equatable {
    public var allowedOrigins: [String]
    public var allowedMethods: [String]
    public var allowedHeaders: [String]
    /// How long browsers may cache a preflight answer, in seconds.
    public var maxAgeSeconds: Int

    public init(
        allowedOrigins: [String], allowedMethods: [String] = ["GET", "OPTIONS"],
        allowedHeaders: [String] = ["X-API-Key", "Content-Type"], maxAgeSeconds: Int = 600
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Headers to add to a response for a request from `origin` (none if it is not allowed).
    public func responseHeaders(origin: String?) -> [HeaderField] {
        guard let origin, allowedOrigins.contains(origin) else { return [] }
        return [HeaderField("Access-Control-Allow-Origin", origin), HeaderField("Vary", "Origin")]
    }

    /// Headers answering a preflight `OPTIONS` request, or nil when the preflight must be refused.
    public func preflightHeaders(origin: String?, requestMethod: String?, requestHeaders: String?) -> [HeaderField]? {
        guard let origin, allowedOrigins.contains(origin), let requestMethod,
              allowedMethods.contains(requestMethod.uppercased())
        else { return nil }
        let asked = (requestHeaders ?? "").split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
        let allowed = Set(allowedHeaders.map { $0.lowercased() })
        guard asked.allSatisfy(allowed.contains) else { return nil }
        return responseHeaders(origin: origin) + [
            HeaderField("Access-Control-Allow-Methods", allowedMethods.joined(separator: ", ")),
            HeaderField("Access-Control-Allow-Headers", allowedHeaders.joined(separator: ", ")),
            HeaderField("Access-Control-Max-Age", String(maxAgeSeconds)),
        ]
    }
}
