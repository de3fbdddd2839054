/// Credentials, identity and behaviour of one mock Kite broker.
public struct KiteBrokerConfiguration: Sendable {
    /// The one API key this broker accepts.
    public var apiKey: String
    /// The secret paired with `apiKey`, used to verify session checksums.
    public var apiSecret: String
    /// Lower-case hex SHA-256 of a string; supplied by the harness (MarketSim has no hash).
    public var checksum: @Sendable (String) -> String
    /// Seed for tokens and behaviour decisions.
    public var seed: UInt64
    /// Where `/connect/login` redirects the "browser" with the request token.
    public var redirectURL: String
    /// How long a request token can be traded for a session, in nanoseconds (Kite: a few minutes).
    public var requestTokenLifetimeNanoseconds: Int64
    /// When true, requests without `X-Kite-Version: 3` get an InputException (the real API needs it).
    public var requireVersionHeader: Bool
    public var userID: String
    public var userName: String
    public var email: String
    /// Misbehaviour and rate limits.
    public var profile: KiteBehaviourProfile

    public init(
        apiKey: String, apiSecret: String, checksum: @escaping @Sendable (String) -> String,
        seed: UInt64 = 0, redirectURL: String = "http://127.0.0.1/callback",
        requestTokenLifetimeNanoseconds: Int64 = 300_000_000_000, requireVersionHeader: Bool = false,
        userID: String = "OS1234", userName: String = "Opsim User", email: String = "user@opsim.invalid",
        profile: KiteBehaviourProfile = .perfect
    ) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.checksum = checksum
        self.seed = seed
        self.redirectURL = redirectURL
        self.requestTokenLifetimeNanoseconds = requestTokenLifetimeNanoseconds
        self.requireVersionHeader = requireVersionHeader
        self.userID = userID
        self.userName = userName
        self.email = email
        self.profile = profile
    }
}
