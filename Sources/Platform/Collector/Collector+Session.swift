extension Collector {
    mutating func requestLogin() -> [Effect] {
        guard case .needsLogin(let requested) = phase, !requested else { return [] }
        phase = .needsLogin(requested: true)
        return [.needRequestToken, log("login_needed")]
    }

    mutating func login(token: String, at now: Instant) -> [Effect] {
        guard case .needsLogin = phase else { return [log("request_token_ignored")] }
        let id = newRequestID()
        inFlight[id] = .session
        phase = .loggingIn(id)
        metrics.requests += 1
        return [.send(id, client.sessionRequest(requestToken: token), deadline: now + config.requestTimeout)]
    }

    mutating func sessionResponse(_ result: Result<BrokerResponse, TransportFailure>, at now: Instant) -> [Effect] {
        do throws(BrokerError) {
            let response = try result.get()
            let session = try client.acceptSession(response)
            return [log("logged_in", ("user", .string(session.userID)), ("expires_at", .instant(session.expiresAt)))]
                + discover(at: now)
        } catch {
            metrics.fail("session")
            phase = .needsLogin(requested: false)
            return [log("login_failed", ("error", .string(error.description)))] + requestLogin()
        }
    }

    /// Asks for the instruments dump of every derivatives exchange the indices trade on.
    mutating func discover(at now: Instant) -> [Effect] {
        let exchanges = Array(Set(config.indices.map(\.derivativesExchange))).sorted()
        var effects: [Effect] = []
        var pending: [RequestID] = []
        instrumentsByExchange = [:]
        for exchange in exchanges {
            do throws(BrokerError) {
                let request = try client.instrumentsRequest(exchange: exchange, at: now)
                let id = newRequestID()
                inFlight[id] = .instruments(exchange: exchange)
                pending.append(id)
                metrics.requests += 1
                effects.append(.send(id, request, deadline: now + config.requestTimeout * 5))
            } catch {
                return effects + tokenLost(error, at: now)
            }
        }
        if phase != .collecting { phase = .discovering(pending: pending) }
        return effects
    }

    mutating func instrumentsResponse(_ result: Result<BrokerResponse, TransportFailure>, exchange: String, at now: Instant)
        -> [Effect]
    {
        do throws(BrokerError) {
            let instruments = try client.parseInstruments(try result.get())
            instrumentsByExchange[exchange] = instruments
        } catch {
            metrics.fail("instruments")
            if error.requiresLogin { return tokenLost(error, at: now) }
            // Try the dump again after a backoff; collection cannot start without it.
            let delay = Backoff(base: config.retryBase, cap: config.retryCap).delay(attempt: 3, random: &random)
            return [log("instruments_failed", ("exchange", .string(exchange)), ("error", .string(error.description)))]
                + [.schedule(.discovery, at: now + delay + .seconds(1))]
        }
        let exchanges = Set(config.indices.map(\.derivativesExchange))
        guard exchanges.allSatisfy({ instrumentsByExchange[$0] != nil }) else { return [] }
        let tradingDate = ISO8601.istDate(of: now)
        let all = exchanges.sorted().flatMap { instrumentsByExchange[$0]! }
        universe = ContractUniverse.build(from: all, indices: config.indices, tradingDate: tradingDate)
        discoveredOn = tradingDate
        var effects: [Effect] = universe.map { contracts in
            log("discovered", ("index", .string(contracts.index.symbol)), ("expiries", .int(Int64(contracts.expiries.count))),
                ("collected_expiries", .string(contracts.collectedExpiries.map(\.description).joined(separator: " "))),
                ("options", .int(Int64(contracts.options.values.reduce(0) { $0 + $1.count }))))
        }
        let wasCollecting = phase == .collecting
        phase = .collecting
        if !wasCollecting {
            effects.append(.schedule(.poll, at: nextPollInstant(after: now)))
            effects.append(.schedule(.discovery, at: now + config.discoveryInterval))
        }
        return effects
    }

    /// A session problem: forget the session and ask for a new login; other errors pass through.
    mutating func tokenLost(_ error: BrokerError, at now: Instant) -> [Effect] {
        guard error.requiresLogin else { return [log("request_failed", ("error", .string(error.description)))] }
        client.dropSession()
        metrics.relogins += 1
        phase = .needsLogin(requested: false)
        cycle = nil
        inFlight = [:]
        return [log("session_lost", ("error", .string(error.description)))] + requestLogin()
    }
}

extension Result where Success == BrokerResponse, Failure == TransportFailure {
    /// The response, or the transport failure as a `BrokerError`.
    func get() throws(BrokerError) -> BrokerResponse {
        switch self {
        case .success(let response): return response
        case .failure(let failure): throw .transport(failure)
        }
    }
}
