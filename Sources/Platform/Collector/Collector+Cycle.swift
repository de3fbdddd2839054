/// What a poll plans to fetch; the same universe and window strikes give the same plan, so it is reused.
struct CyclePlan: Sendable {
    var entries: [(key: String, planned: Cycle.Planned)]
    var keyIndex: QuoteKeyIndex
    var expected: [Int: Int]
    var rowOrder: [[Int]]
    /// Contracts cut for lack of quote budget, and the budget (contracts per cycle).
    var shortfall: Int
    var capacity: Int
    /// The keys of each REST batch when no contract is streamed (the plan's keys cut every
    /// `quoteBatchMax`), cut once per plan rather than per poll.
    var batchKeys: [[String]] = []
    /// Each of `batchKeys` prepared by the client (nil where it refused them: the send then
    /// reports why), so every poll sends the same query arrays.
    var batchQueries: [QuoteQuery?] = []
}

/// One collected expiry of an index as `poll` walks it: the key of its window in `windows`, its
/// strikes and their step, worked out once per universe rather than per poll.
struct WindowLayout: Sendable {
    var expiry: CivilDate
    var key: String
    var strikes: [Int64]
    var step: Int64
}

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
        /// `keys` as the client prepared them once per plan, or nil: the request is built from `keys`.
        var query: QuoteQuery?
        /// Plan position of the batch's first key.
        var start: Int
        var attempt = 0
        var state = BatchState.waiting
        var notBefore: Instant
    }

    var at: Instant
    var closesAt: Instant
    var requestedAt: Instant?
    var plan: [(key: String, planned: Planned)]
    /// The plan's keys, indexed for matching responses.
    var keyIndex: QuoteKeyIndex
    var batches: [Batch]
    /// Quotes received, by the first plan position of their key.
    var received: [BrokerQuoteTop?]
    /// Quotes under keys the plan did not ask for (a well-behaved broker sends none).
    var unrequested: [String: BrokerQuoteTop] = [:]
    var expected: [Int: Int]
    var shortfall: Int
    /// Per index, the plan positions of its options in snapshot row order: expiry, strike, CE before PE
    /// (a stable order, so equal contracts keep plan order).
    var rowOrder: [[Int]]

    /// The latest quote received for `key`, as a map keyed by the requested strings would hold it.
    func quote(forKey key: String) -> BrokerQuoteTop? {
        if let position = keyIndex.position(of: key) { return received[position] }
        return unrequested[key]
    }

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
        // The windows move first (their hysteresis state advances every poll); the plan depends only on
        // the universe and the windows' strikes, so an unchanged signature reuses the last plan.
        var windowStrikes: [(position: Int, rank: Int, expiry: CivilDate, strikes: [Int64])] = []
        var signature: [Int64] = []
        // A rediscovery builds a new universe array, usually equal to the last: the caches then take the
        // new array, so the next poll's check is by identity (instant) instead of comparing every contract.
        if let cached = windowLayouts, cached.universe == universe {
            windowLayouts!.universe = universe
        } else {
            windowLayouts = (universe, universe.map { contracts in
                contracts.collectedExpiries.map { expiry in
                    let strikes = contracts.strikes[expiry] ?? []
                    return WindowLayout(expiry: expiry, key: "\(contracts.index.symbol)/\(expiry)", strikes: strikes,
                                        step: ATMWindow.step(strikes))
                }
            })
        }
        let layouts = windowLayouts!.layouts
        for (position, contracts) in universe.enumerated() {
            if let future = contracts.futures.first?.expiry {
                signature.append(Int64(future.year * 10_000 + future.month * 100 + future.day))
            }
            let symbol = contracts.index.symbol
            let basis = config.atmSource == .future ? (atmBasisPaise[symbol] ?? underlyingPaise[symbol]) : underlyingPaise[symbol]
            guard let basis else {  // the first cycle learns the underlying
                signature.append(-1)
                continue
            }
            signature.append(Int64(layouts[position].count))
            for (rank, layout) in layouts[position].enumerated() {
                // Updated where it is stored: one lookup, no copy out and back.
                // Built before the access: the default's autoclosure would read `self` during the
                // exclusive access to `windows`.
                let fresh = ATMWindow(strikesEachSide: contracts.index.strikesEachSide, hysteresisSteps: config.atmHysteresisSteps)
                let strikes = Self.update(&windows[layout.key, default: fresh], basis: basis, layout: layout)
                windowStrikes.append((position, rank, layout.expiry, strikes))
                signature.append(Int64(strikes.count))
                signature += strikes
            }
        }
        let plan: CyclePlan
        var streamedTops: [BrokerQuoteTop] = []
        if usesTicker {
            // Which contracts the stream covers changes every cycle, so ticker plans are not cached.
            var entries = plannedEntries(windowStrikes)
            let streamed = streamFromTicks(&entries, at: now)
            effects += streamed.effects
            streamedTops = streamed.tops
            plan = makePlan(streamed.entries + entries, streamed: streamed.entries.count)
        } else if let cached = planCache, cached.signature == signature, cached.universe == universe {
            plan = cached.plan
            planCache!.universe = universe
        } else {
            var fresh = makePlan(plannedEntries(windowStrikes), streamed: 0)
            fresh.batchKeys = batchKeys(fresh.keyIndex.keys, from: 0)
            fresh.batchQueries = fresh.batchKeys.map { keys in try? client.quoteQuery(keys, mode: .full) }
            plan = fresh
            planCache = (signature, universe, plan)
        }
        if plan.shortfall > 0 {
            metrics.shortfallContracts += plan.shortfall
            effects.append(log("shortfall", ("contracts", .int(Int64(plan.shortfall))), ("capacity", .int(Int64(plan.capacity)))))
        }
        // Streamed contracts lead the plan with their quotes already in hand; REST batches the rest.
        let keys = plan.keyIndex.keys
        let first = streamedTops.count
        let planned = first == 0 && !plan.batchKeys.isEmpty
        let cut = planned ? plan.batchKeys : batchKeys(keys, from: first)
        let batches = cut.enumerated().map {
            Cycle.Batch(keys: $0.element, query: planned ? plan.batchQueries[$0.offset] : nil,
                        start: first + $0.offset * config.quoteBatchMax, notBefore: now)
        }
        // The last cycle's slots, emptied in place (a tag store per slot), when there are as many.
        var received = spareReceived
        spareReceived = []
        if received.count == keys.count {
            received.withUnsafeMutableBufferPointer { slots in
                for position in slots.indices { slots[position] = nil }
            }
        } else {
            received = [BrokerQuoteTop?](repeating: nil, count: keys.count)
        }
        for (position, top) in streamedTops.enumerated() { received[position] = top }
        cycle = Cycle(at: now, closesAt: now + config.pollInterval, plan: plan.entries, keyIndex: plan.keyIndex,
                      batches: batches, received: received,
                      expected: plan.expected, shortfall: plan.shortfall, rowOrder: plan.rowOrder)
        return effects + sendReadyBatches(at: now)
    }

    /// `window` moved for `basis` over `layout`'s strikes; returns the window's strikes (`ATMWindow.update`).
    static func update(_ window: inout ATMWindow, basis: Int64, layout: WindowLayout) -> [Int64] {
        window.update(underlyingPaise: basis, strikes: layout.strikes, step: layout.step)
    }

    /// The contracts wanted this cycle, ordered by priority (spot and futures, then nearest expiry, then
    /// strikes from ATM outward; a stable order).
    func plannedEntries(_ windowStrikes: [(position: Int, rank: Int, expiry: CivilDate, strikes: [Int64])]) -> [CycleEntry] {
        var entries: [(priority: (Int, Int, Int, Int), key: String, planned: Cycle.Planned)] = []
        var nextWindow = 0
        for (position, contracts) in universe.enumerated() {
            entries.append(((0, 0, position, 0), contracts.index.spotKey, Cycle.Planned(index: position)))
            if let future = contracts.futures.first {
                entries.append(((0, 1, position, 0), future.key, Cycle.Planned(index: position, expiry: future.expiry)))
            }
            while nextWindow < windowStrikes.count, windowStrikes[nextWindow].position == position {
                let (_, rank, expiry, strikes) = windowStrikes[nextWindow]
                nextWindow += 1
                // Options are sorted by strike, so a strike's options are one run, in list order.
                let options = contracts.options[expiry] ?? []
                for (distance, strike) in strikes.enumerated() {
                    var low = 0
                    var high = options.count
                    while low < high {
                        let middle = (low + high) / 2
                        if options[middle].strikePaise < strike { low = middle + 1 } else { high = middle }
                    }
                    while low < options.count, options[low].strikePaise == strike {
                        let option = options[low]
                        entries.append(((1 + rank, distance, position, option.type == .call ? 0 : 1), option.key,
                                        Cycle.Planned(index: position, expiry: expiry, option: option)))
                        low += 1
                    }
                }
            }
        }
        // A stable sort by priority, done on plain (priority, position) tuples so no entry is copied.
        var order: [(Int, Int, Int, Int, Int)] = []
        order.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            order.append((entry.priority.0, entry.priority.1, entry.priority.2, entry.priority.3, position))
        }
        order.sort { $0 < $1 }
        return order.map { (key: entries[$0.4].key, planned: entries[$0.4].planned) }
    }

    /// The cycle's plan from prioritised `entries` whose first `streamed` come from the ticker: the
    /// rest is cut to the quote budget (contracts beyond it are the shortfall).
    func makePlan(_ entries: [CycleEntry], streamed: Int) -> CyclePlan {
        let capacity = requestsPerCycle * config.quoteBatchMax
        let shortfall = max(0, entries.count - streamed - capacity)
        let plan = Array(entries.dropLast(shortfall))
        var expected: [Int: Int] = [:]
        for entry in plan where entry.planned.option != nil { expected[entry.planned.index, default: 0] += 1 }
        return CyclePlan(entries: plan, keyIndex: QuoteKeyIndex(keys: plan.map(\.key)), expected: expected,
                         rowOrder: Self.rowOrder(plan, indices: universe.count), shortfall: shortfall, capacity: capacity)
    }

    /// Per index, the plan positions of its options sorted as snapshot rows are: expiry, strike, CE
    /// before PE, then plan position (what a stable sort of rows in plan order gives).
    static func rowOrder(_ plan: [(key: String, planned: Cycle.Planned)], indices: Int) -> [[Int]] {
        var sortKeys = [[(Int, Int, Int, Int64, Int, Int)]](repeating: [], count: indices)
        plan.withUnsafeBufferPointer { entries in
            for position in entries.indices {
                let planned = entries[position].planned
                guard let option = planned.option, let expiry = planned.expiry, planned.index < indices else { continue }
                sortKeys[planned.index].append(
                    (expiry.year, expiry.month, expiry.day, option.strikePaise, option.type == .call ? 0 : 1, position))
            }
        }
        return sortKeys.map { keys in keys.sorted { $0 < $1 }.map { $0.5 } }
    }

    /// `keys` from position `first` on, cut into REST batches of at most `quoteBatchMax`.
    func batchKeys(_ keys: [String], from first: Int) -> [[String]] {
        stride(from: first, to: keys.count, by: config.quoteBatchMax).map {
            Array(keys[$0..<min(keys.count, $0 + config.quoteBatchMax)])
        }
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
                    if let query = batch.query {
                        request = try client.quoteRequest(query, at: now)
                    } else {
                        request = try client.quoteRequest(batch.keys, mode: .full, at: now)
                    }
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
        cycle = nil  // `current` is the only owner while it changes (no copy of the received quotes); put back below
        do throws(BrokerError) {
            let matched = try client.parseQuoteTops(try result.get(), keys: current.keyIndex,
                                                    expectedFirst: current.batches[batch].start)
            // Each quote stored straight into its slot: one bounds test, no uniqueness test per quote.
            current.received.withUnsafeMutableBufferPointer { received in
                for entry in matched.matched {
                    precondition(UInt(bitPattern: entry.position) < UInt(received.count), "matched position out of range")
                    (received.baseAddress! + entry.position).pointee = entry.quote
                }
            }
            for entry in matched.unrequested { current.unrequested[entry.key] = entry.quote }
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
