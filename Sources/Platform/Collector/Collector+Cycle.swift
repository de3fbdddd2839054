/// One poll cycle: the planned contracts, their batches and the quotes received so far.
struct Cycle: Sendable, Equatable {
    struct Planned: Sendable, Equatable {
        var index: Int
        var expiry: CivilDate?
        var option: IndexContracts.Option?
    }

    enum BatchState: Sendable, Equatable { case waiting, inFlight, done, failed }

    struct Batch: Sendable, Equatable {
        var keys: [String]
        var attempt = 0
        var state = BatchState.waiting
        var notBefore: Instant
    }

    var at: Instant
    var closesAt: Instant
    var requestedAt: Instant?
    var plan: [(key: String, planned: Planned)]
    var batches: [Batch]
    var quotes: [String: BrokerQuote] = [:]
    var expected: [Int: Int]
    var shortfall: Int

    static func == (lhs: Cycle, rhs: Cycle) -> Bool {
        lhs.at == rhs.at && lhs.batches == rhs.batches && lhs.plan.map(\.key) == rhs.plan.map(\.key)
    }

    var isSettled: Bool { batches.allSatisfy { $0.state == .done || $0.state == .failed } }
}

extension Collector {
    /// Quote requests the budget allows per cycle.
    var requestsPerCycle: Int {
        let seconds = Double(config.pollInterval.wholeNanoseconds) / 1e9
        return max(1, Int((config.quoteRequestsPerSecond * seconds).rounded(.down)))
    }

    mutating func poll(at now: Instant) -> [Effect] {
        var effects: [Effect] = []
        if cycle != nil { effects += finalize(at: now, reason: "overrun") }
        effects.append(.schedule(.poll, at: nextPollInstant(after: now)))
        guard phase == .collecting, !universe.isEmpty else {
            return effects + [log("poll_skipped", ("phase", .string("\(phase)")))]
        }
        if let day = discoveredOn, ISO8601.istDate(of: now) != day {
            return effects + [log("new_trading_day", ("date", .string(ISO8601.istDate(of: now).description)))] + discover(at: now)
        }
        var entries: [(priority: [Int], key: String, planned: Cycle.Planned)] = []
        for (position, contracts) in universe.enumerated() {
            entries.append(([0, 0, position, 0], contracts.index.spotKey, Cycle.Planned(index: position)))
            if let future = contracts.futures.first {
                entries.append(([0, 1, position, 0], future.key, Cycle.Planned(index: position, expiry: future.expiry)))
            }
            let symbol = contracts.index.symbol
            let basis = config.atmSource == .future ? (atmBasisPaise[symbol] ?? underlyingPaise[symbol]) : underlyingPaise[symbol]
            guard let basis else { continue }  // the first cycle learns the underlying
            for (rank, expiry) in contracts.collectedExpiries.enumerated() {
                let key = "\(symbol)/\(expiry)"
                var window = windows[key] ?? ATMWindow(strikesEachSide: contracts.index.strikesEachSide,
                                                        hysteresisSteps: config.atmHysteresisSteps)
                let strikes = window.update(underlyingPaise: basis, strikes: contracts.strikes[expiry] ?? [])
                windows[key] = window
                let byStrike = Dictionary(grouping: contracts.options[expiry] ?? [], by: \.strikePaise)
                for (distance, strike) in strikes.enumerated() {
                    for option in byStrike[strike] ?? [] {
                        entries.append(([1 + rank, distance, position, option.type == .call ? 0 : 1], option.key,
                                        Cycle.Planned(index: position, expiry: expiry, option: option)))
                    }
                }
            }
        }
        entries.sort { $0.priority.lexicographicallyPrecedes($1.priority) }
        let streamed = streamFromTicks(&entries, at: now)
        effects += streamed.effects
        let capacity = requestsPerCycle * config.quoteBatchMax
        let shortfall = max(0, entries.count - capacity)
        if shortfall > 0 {
            entries.removeLast(shortfall)
            metrics.shortfallContracts += shortfall
            effects.append(log("shortfall", ("contracts", .int(Int64(shortfall))), ("capacity", .int(Int64(capacity)))))
        }
        var expected: [Int: Int] = [:]
        for entry in entries where entry.planned.option != nil { expected[entry.planned.index, default: 0] += 1 }
        for entry in streamed.entries { expected[entry.planned.index, default: 0] += 1 }
        let keys = entries.map(\.key)
        let batches = stride(from: 0, to: keys.count, by: config.quoteBatchMax).map {
            Cycle.Batch(keys: Array(keys[$0..<min(keys.count, $0 + config.quoteBatchMax)]), notBefore: now)
        }
        cycle = Cycle(at: now, closesAt: now + config.pollInterval, plan: (streamed.entries + entries).map { ($0.key, $0.planned) },
                      batches: batches, quotes: streamed.quotes, expected: expected, shortfall: shortfall)
        return effects + sendReadyBatches(at: now)
    }

    mutating func sendReadyBatches(at now: Instant) -> [Effect] {
        guard var current = cycle else { return [] }
        var effects: [Effect] = []
        var wake: Instant?
        if quoteBudget == nil {
            quoteBudget = TokenBucket(capacity: config.quoteBurst,
                                      refillPerSecond: config.quoteRequestsPerSecond / (1 + config.pacingMargin), now: now)
        }
        for position in current.batches.indices where current.batches[position].state == .waiting {
            let batch = current.batches[position]
            if batch.notBefore > now {
                wake = min(wake ?? batch.notBefore, batch.notBefore)
                continue
            }
            guard quoteBreaker.allows(at: now) else {
                current.batches[position].state = .failed
                metrics.fail("circuit_open")
                effects.append(log("batch_skipped", ("reason", .string("circuit open")), ("keys", .int(Int64(batch.keys.count)))))
                continue
            }
            switch quoteBudget!.take(at: now) {
            case .denied(let wait):
                if now + wait < current.closesAt {
                    wake = min(wake ?? now + wait, now + wait)
                } else {
                    current.batches[position].state = .failed
                    metrics.fail("budget")
                }
            case .granted:
                let request: BrokerRequest
                do throws(BrokerError) {
                    request = try client.quoteRequest(batch.keys, mode: .full, at: now)
                } catch {
                    cycle = current
                    return effects + tokenLost(error, at: now)
                }
                let id = newRequestID()
                inFlight[id] = .quotes(batch: position)
                current.batches[position].state = .inFlight
                current.requestedAt = current.requestedAt ?? now
                metrics.requests += 1
                let deadline = min(now + config.requestTimeout, current.closesAt)
                effects.append(.send(id, request, deadline: deadline))
            }
        }
        cycle = current
        if current.isSettled { return effects + finalize(at: now, reason: "complete") }
        if let wake { effects.append(.schedule(.pace, at: wake)) }
        return effects
    }

    mutating func quotesResponse(_ result: Result<BrokerResponse, TransportFailure>, batch: Int, at now: Instant) -> [Effect] {
        guard var current = cycle, batch < current.batches.count, current.batches[batch].state == .inFlight else {
            return [log("late_response", ("batch", .int(Int64(batch))))]
        }
        do throws(BrokerError) {
            let quotes = try client.parseQuotes(try result.get())
            for quote in quotes { current.quotes[quote.key] = quote }
            current.batches[batch].state = .done
            quoteBreaker.recordSuccess()
            cycle = current
            return sendReadyBatches(at: now)
        } catch {
            metrics.fail(failureKind(error))
            if error.requiresLogin {
                cycle = current
                return tokenLost(error, at: now)
            }
            var attempt = current.batches[batch].attempt + 1
            var retryAt: Instant
            if case .rateLimited(let retryAfter, _) = error {
                metrics.rateLimited += 1
                retryAt = now + (retryAfter ?? .seconds(1))
            } else {
                quoteBreaker.recordFailure(at: now)
                retryAt = now + Backoff(base: config.retryBase, cap: config.retryCap).delay(attempt: attempt, random: &random)
            }
            if !error.isRetryable || attempt >= config.retryAttemptsMax || retryAt >= current.closesAt {
                current.batches[batch].state = .failed
                attempt = -1
                retryAt = now
            } else {
                current.batches[batch].state = .waiting
                current.batches[batch].attempt = attempt
                current.batches[batch].notBefore = retryAt
                metrics.retries += 1
            }
            cycle = current
            return [log("batch_failed", ("batch", .int(Int64(batch))), ("error", .string(error.description)),
                        ("retry_at", attempt < 0 ? .string("none") : .instant(retryAt)))] + sendReadyBatches(at: now)
        }
    }

    func failureKind(_ error: BrokerError) -> String {
        switch error {
        case .rateLimited: return "rate_limited"
        case .transport(let failure):
            switch failure {
            case .timeout: return "timeout"
            case .connectionRefused: return "refused"
            case .connectionReset: return "reset"
            case .malformedResponse: return "malformed"
            }
        case .malformedResponse, .unexpectedContentType: return "malformed"
        case .api(let kind, _, _): return "api_\(kind)"
        case .sessionExpired, .notLoggedIn: return "session"
        case .invalidRequest: return "invalid_request"
        }
    }
}
