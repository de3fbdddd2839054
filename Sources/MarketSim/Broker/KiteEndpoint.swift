/// Which payload a quote route returns.
public enum KiteQuoteKind: Sendable, Equatable {
    /// `/quote`: full quote with depth; at most 500 instruments.
    case full
    /// `/quote/ohlc`: token, last price, OHLC; at most 1000.
    case ohlc
    /// `/quote/ltp`: token and last price; at most 1000.
    case ltp

    /// Most instruments one call may ask for.
    public var instrumentsMax: Int { self == .full ? 500 : 1000 }
}

/// The routes the mock broker serves, matched from method and path.
enum KiteEndpoint: Equatable {
    case login
    case sessionToken
    case logout
    case profile
    /// All segments, or one (`equity`, `commodity`).
    case margins(String?)
    case instrumentsAll
    case instrumentsExchange(String)
    case quote(KiteQuoteKind)
    case historical(token: String, interval: String)

    static let knownPaths = ["/connect/login", "/session/token", "/user/profile", "/user/margins", "/instruments",
                             "/quote"]

    init?(method: String, path: String) {
        switch (method, path) {
        case ("GET", "/connect/login"): self = .login
        case ("POST", "/session/token"): self = .sessionToken
        case ("DELETE", "/session/token"): self = .logout
        case ("GET", "/user/profile"): self = .profile
        case ("GET", "/user/margins"): self = .margins(nil)
        case ("GET", "/user/margins/equity"): self = .margins("equity")
        case ("GET", "/user/margins/commodity"): self = .margins("commodity")
        case ("GET", "/instruments"): self = .instrumentsAll
        case ("GET", "/quote"): self = .quote(.full)
        case ("GET", "/quote/ohlc"): self = .quote(.ohlc)
        case ("GET", "/quote/ltp"): self = .quote(.ltp)
        case ("GET", _):
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3, parts[1] == "instruments", !parts[2].isEmpty {
                self = .instrumentsExchange(String(parts[2]))
            } else if parts.count == 5, parts[1] == "instruments", parts[2] == "historical" {
                self = .historical(token: String(parts[3]), interval: String(parts[4]))
            } else {
                return nil
            }
        default: return nil
        }
    }

    /// The rate-limit family this route counts against.
    var family: KiteRouteFamily {
        switch self {
        case .quote: return .quote
        case .historical: return .historical
        default: return .other
        }
    }
}
