#if canImport(Glibc)
import Glibc

/// Where a live broker listens: `http://HOST:PORT[/PREFIX]`, as given on the command line.
public struct BrokerURL: Sendable, Equatable, CustomStringConvertible {
    /// IPv4 address or `localhost`.
    public var host: String
    public var port: Int
    /// Prepended to every route (`""` for a broker at the root, like Kite's `/quote`).
    public var pathPrefix: String

    /// Parses `text`; the message of a failure says what form is expected.
    public init(parsing text: String) throws(BrokerURLError) {
        if text.hasPrefix("https://") {
            throw BrokerURLError(text: text, reason: "https is not supported: opsim's HTTP client has no TLS; "
                + "reach a TLS broker through a local TLS-terminating proxy and give its http:// address")
        }
        guard text.hasPrefix("http://") else {
            throw BrokerURLError(text: text, reason: "expected http://HOST:PORT, e.g. http://127.0.0.1:8080")
        }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(authority.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard let hostPart = parts.first, !hostPart.isEmpty else {
            throw BrokerURLError(text: text, reason: "no host; expected http://HOST:PORT")
        }
        var port = 80
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (1...65_535).contains(parsed) else {
                throw BrokerURLError(text: text, reason: "port '\(parts[1])' is not a number in 1...65535")
            }
            port = parsed
        } else if parts.count > 2 {
            throw BrokerURLError(text: text, reason: "IPv6 addresses are not supported; use an IPv4 address")
        }
        let host = String(hostPart)
        var probe = in_addr()
        guard host == "localhost" || inet_pton(AF_INET, host, &probe) == 1 else {
            throw BrokerURLError(text: text, reason: "host '\(host)' is not an IPv4 address or localhost (no DNS lookups)")
        }
        self.host = host
        self.port = port
        self.pathPrefix = prefix
    }

    public var description: String { "http://\(host):\(port)\(pathPrefix)" }
}

/// A broker URL that cannot be used, and why.
public struct BrokerURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL as given.
    public var text: String
    /// What is wrong with it and what form is expected.
    public var reason: String
    public var description: String { "broker URL '\(text)': \(reason)" }
}

/// The live broker-transport: sends a `BrokerRequest` over HTTP/1.1 and waits for the response.
///
/// Blocking, with a pooled keep-alive `HTTPClient`; the live collector calls it from its worker
/// threads, never from its loop. Failures come back as the `TransportFailure` the collector
/// already handles in simulation.
public final class HTTPBrokerTransport: Sendable {
    /// Where requests go.
    public let url: BrokerURL
    let client: HTTPClient

    /// `timeout` bounds one exchange (connect excluded); the caller may give up earlier.
    public init(url: BrokerURL, timeout: Duration = .seconds(10)) {
        self.url = url
        self.client = HTTPClient(configuration: .init(connectTimeout: .seconds(3), requestTimeout: timeout))
    }

    /// Sends `request` and returns the response or why there is none.
    public func exchange(_ request: BrokerRequest) -> Result<BrokerResponse, TransportFailure> {
        guard let method = HTTPMethod(rawValue: request.method) else {
            return .failure(.malformedResponse(reason: "method \(request.method) cannot be sent"))
        }
        var target = url.pathPrefix + request.path
        if !request.query.isEmpty {
            target += "?" + request.query.map { KiteClient.formEncode($0.name) + "=" + KiteClient.formEncode($0.value) }
                .joined(separator: "&")
        }
        var headers = HTTPHeaders()
        for field in request.headers { headers.add(name: field.name, value: field.value) }
        do throws(HTTPClientError) {
            let response = try client.send(HTTPRequest(method: method, target: target, headers: headers, body: request.body),
                                           host: url.host, port: url.port)
            return .success(BrokerResponse(status: response.status.code,
                                           headers: response.headers.map { HeaderField($0.name, $0.value) }, body: response.body))
        } catch {
            switch error {
            case .connectFailed: return .failure(.connectionRefused)
            case .timedOut(let after): return .failure(.timeout(afterMilliseconds: after.wholeNanoseconds / 1_000_000))
            case .connectionClosed, .io: return .failure(.connectionReset)
            case .invalidResponse(let parse): return .failure(.malformedResponse(reason: "\(parse)"))
            }
        }
    }
}
#endif
