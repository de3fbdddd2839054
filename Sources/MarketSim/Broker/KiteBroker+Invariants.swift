/// Structural invariants of the broker's state, checked after every step in debug and simulation.
extension KiteBroker {
    /// Crashes with a message naming the value if the broker's state is inconsistent.
    public func checkInvariants() {
        sessions.checkInvariants()
        if let listing {
            precondition(listing.byKey.count <= listing.instruments.count,
                         "listing index has \(listing.byKey.count) keys for \(listing.instruments.count) instruments")
        }
    }
}

extension KiteSessionBook {
    /// Crashes if tokens outgrow their bound or the per-key index points at a missing session.
    public func checkInvariants() {
        precondition(requestTokens.count <= KiteSessionBook.requestTokensMax,
                     "\(requestTokens.count) request tokens > \(KiteSessionBook.requestTokensMax)")
        for (apiKey, token) in activeByKey {
            precondition(sessions[token]?.apiKey == apiKey, "active token of \(apiKey) has no session")
        }
        for session in sessions.values {
            precondition(session.expiresAt > session.loginTime, "session expires at or before its login")
            precondition(activeByKey[session.apiKey] == session.accessToken,
                         "session of \(session.apiKey) is live but not the key's active one")
        }
    }
}

extension KiteTickerConnection {
    /// Crashes if the subscriptions exceed the per-connection cap.
    public func checkInvariants() {
        precondition(modes.count <= tokensMax, "\(modes.count) subscribed tokens > \(tokensMax)")
    }
}
