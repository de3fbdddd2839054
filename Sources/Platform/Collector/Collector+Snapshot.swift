extension Collector {
    /// Closes the cycle: one snapshot per index from the quotes that arrived.
    mutating func finalize(at now: Instant, reason: String) -> [Effect] {
        guard let current = cycle else { return [] }
        cycle = nil
        // Held here, the slots are the only reference left once this cycle is dropped: the next poll reuses them.
        spareReceived = current.received
        inFlight = inFlight.filter { if case .quotes = $0.value { return false } else { return true } }
        var effects: [Effect] = []
        let tradingDate = ISO8601.istDate(of: current.at)
        if rowTemplates?.isBuilt(for: current.plan) != true { rowTemplates = RowTemplates(plan: current.plan) }
        let templates = rowTemplates!
        for (position, contracts) in universe.enumerated() {
            let symbol = contracts.index.symbol
            if let spot = current.quote(forKey: contracts.index.spotKey), spot.lastPricePaise > 0 {
                underlyingPaise[symbol] = spot.lastPricePaise
            }
            if let future = contracts.futures.first, let quote = current.quote(forKey: future.key), quote.lastPricePaise > 0 {
                atmBasisPaise[symbol] = quote.lastPricePaise
            }
            // Rows come out in the order planned at poll time (expiry, strike, CE before PE): no sort here.
            let order = position < current.rowOrder.count ? current.rowOrder[position] : []
            var rows = rowBuffers.take(position)
            let newestExchange = Self.fill(&rows, order, templates: templates, cycle: current)
            rowBuffers.keep(rows, position)
            if let change = trackStaleness(symbol, newest: newestExchange, at: now) { effects.append(change) }
            let expected = current.expected[position] ?? 0
            guard expected > 0 else { continue }
            let completeness = Double(rows.count) / Double(expected)
            metrics.lastCompleteness = completeness
            guard !rows.isEmpty, let underlying = underlyingPaise[symbol] else {
                effects.append(log("snapshot_missed", ("index", .string(symbol)), ("expected", .int(Int64(expected))),
                                   ("reason", .string(reason))))
                continue
            }
            let snapshot = ChainSnapshot(
                index: symbol, tradingDate: tradingDate, collectedAt: current.at, requestedAt: current.requestedAt ?? current.at,
                underlyingPaise: underlying, rows: rows)
            metrics.snapshots += 1
            metrics.rows += rows.count
            lastSnapshotAt = now
            effects.append(log("snapshot", ("index", .string(symbol)), ("collected_at", .instant(current.at)),
                               ("rows", .int(Int64(rows.count))), ("expected", .int(Int64(expected))),
                               ("completeness_permille", .int(Int64((completeness * 1000).rounded()))),
                               ("underlying_paise", .int(underlying)), ("closed", .string(reason))))
            effects.append(.write(snapshot))
        }
        return effects
    }

    /// The snapshot rows of the plan positions in `order` that have a quote, each its template row with
    /// the quote's fields, and the newest exchange time among them.
    static func rows(_ order: [Int], templates: RowTemplates, cycle: Cycle) -> (rows: [QuoteRow], newest: Instant?) {
        var rows: [QuoteRow] = []
        let newest = fill(&rows, order, templates: templates, cycle: cycle)
        return (rows, newest)
    }

    /// Makes `rows` the snapshot rows of `rows(_:templates:cycle:)` and returns their newest exchange
    /// time. They are written in place over what `rows` held (an earlier snapshot's rows, or nothing):
    /// a row already naming the template's contract keeps its symbol, so a row costs its fields, no
    /// reference count and no allocation. An array shared with someone else is copied first, as always.
    static func fill(_ rows: inout [QuoteRow], _ order: [Int], templates: RowTemplates, cycle: Cycle) -> Instant? {
        var newestTime = Instant(nanosecondsSinceEpoch: .min)
        var any = false
        let at = cycle.at
        // The loop below reads without bounds checks; these make a mismatched plan trap, not read astray
        // (a first position is never past its own position, so it stays below the same count).
        let positions = templates.rows.count
        precondition(templates.present.count == positions && cycle.keyIndex.firstPositions.count == positions
                     && cycle.received.count == positions, "row templates built for another plan")
        if rows.count < order.count {
            rows.append(contentsOf: repeatElement(RowTemplates.blank, count: order.count - rows.count))
        }
        var count = 0
        rows.withUnsafeMutableBufferPointer { buffer in
            order.withUnsafeBufferPointer { order in
                templates.rows.withUnsafeBufferPointer { templateRows in
                    templates.present.withUnsafeBufferPointer { present in
                        cycle.keyIndex.firstPositions.withUnsafeBufferPointer { firstPositions in
                            cycle.received.withUnsafeBufferPointer { received in
                                for planPosition in order {
                                    precondition(UInt(bitPattern: planPosition) < UInt(positions), "plan position out of range")
                                    guard present[planPosition] else { continue }
                                    let slot = received.baseAddress! + firstPositions[planPosition]
                                    guard let top = slot.pointee else { continue }
                                    let exchangeTime = top.timestamp ?? top.lastTradeTime ?? at
                                    if exchangeTime > newestTime { newestTime = exchangeTime }
                                    any = true
                                    let template = templateRows.baseAddress! + planPosition
                                    let row = buffer.baseAddress! + count
                                    // Equal symbols are interchangeable; the same storage compares in one step. (String
                                    // equality is canonical equivalence, byte equality for the ASCII symbols Kite lists.)
                                    // Every field is set below: `CollectorRowsTests` checks the rows against rows built
                                    // whole with `QuoteRow(...)`, so a field added to `QuoteRow` and missed here fails it.
                                    if row.pointee.tradingsymbol != template.pointee.tradingsymbol {
                                        row.pointee.tradingsymbol = template.pointee.tradingsymbol
                                    }
                                    row.pointee.instrumentToken = template.pointee.instrumentToken
                                    row.pointee.expiry = template.pointee.expiry
                                    row.pointee.strikePaise = template.pointee.strikePaise
                                    row.pointee.optionType = template.pointee.optionType
                                    row.pointee.bidPaise = top.bidPaise
                                    row.pointee.askPaise = top.askPaise
                                    row.pointee.ltpPaise = top.lastPricePaise
                                    row.pointee.bidQuantity = top.bidQuantity
                                    row.pointee.askQuantity = top.askQuantity
                                    row.pointee.volume = top.volume
                                    row.pointee.openInterest = top.oi
                                    row.pointee.exchangeTime = exchangeTime
                                    count += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        if count < rows.count { rows.removeLast(rows.count - count) }
        return any ? newestTime : nil
    }

    /// Marks `symbol` stale once its newest exchange time has not advanced for `staleAfter`, and fresh
    /// again when it does; returns the log line of a change (`quotes_stale`, `quotes_fresh`), if any.
    mutating func trackStaleness(_ symbol: String, newest: Instant?, at now: Instant) -> Effect? {
        guard let newest else { return nil }
        if newest > (lastExchangeTime[symbol] ?? .epoch) {
            lastExchangeTime[symbol] = newest
            lastExchangeAdvance[symbol] = now
            guard metrics.staleIndices.contains(symbol) else { return nil }
            metrics.staleIndices.removeAll { $0 == symbol }
            return log("quotes_fresh", ("index", .string(symbol)), ("exchange_time", .instant(newest)))
        } else if let advanced = lastExchangeAdvance[symbol], now - advanced > config.staleAfter,
                  !metrics.staleIndices.contains(symbol) {
            metrics.staleIndices.append(symbol)
            return log("quotes_stale", ("index", .string(symbol)), ("exchange_time", .instant(lastExchangeTime[symbol] ?? newest)),
                       ("unchanged_for_ms", .int((now - advanced).wholeNanoseconds / 1_000_000)))
        }
        return nil
    }

    /// The collector's health at `now`, for `/ready`.
    public func health(at now: Instant) -> ComponentHealth {
        let status: HealthStatus
        switch phase {
        case .needsLogin: status = .down(reason: "no broker session")
        case .loggingIn: status = .down(reason: "logging in")
        case .discovering: status = .down(reason: "loading instruments")
        case .collecting:
            if quoteBreaker.isOpen {
                status = .degraded(reason: "quote circuit open after repeated failures")
            } else if let down = tickerConnectionDown {
                status = .degraded(reason: down)
            } else if !metrics.staleIndices.isEmpty {
                status = .degraded(reason: "stale quotes for \(metrics.staleIndices.joined(separator: ", "))")
            } else if let last = lastSnapshotAt, now - last > config.pollInterval * 5 {
                status = .degraded(reason: "no snapshot since \(last)")
            } else if metrics.lastCompleteness < 0.99, metrics.snapshots > 0 {
                status = .degraded(reason: "last snapshot \(Int(metrics.lastCompleteness * 100))% complete")
            } else {
                status = .ok
            }
        }
        return ComponentHealth(name: "collector", status: status, lastSuccess: lastSnapshotAt)
    }
}

/// Snapshot rows with the contract columns filled in, one per plan position (`present` false where
/// the plan holds no option), kept with the plan they were built from: a cached plan is the same
/// array poll after poll, so `finalize` reads a flat row instead of copying a plan entry and its strings.
struct RowTemplates: Sendable {
    /// The plan the rows were built from; held so its storage, the identity checked, stays this plan's.
    let plan: [(key: String, planned: Cycle.Planned)]
    let rows: [QuoteRow]
    let present: [Bool]

    init(plan: [(key: String, planned: Cycle.Planned)]) {
        self.plan = plan
        present = plan.map { $0.planned.option != nil && $0.planned.expiry != nil }
        rows = plan.map { entry in
            let option = entry.planned.option
            return QuoteRow(
                tradingsymbol: option?.tradingsymbol ?? "", instrumentToken: option?.token ?? 0,
                expiry: entry.planned.expiry ?? CivilDate(daysSinceEpoch: 0), strikePaise: option?.strikePaise ?? 0,
                optionType: option?.type ?? .call, bidPaise: 0, askPaise: 0, ltpPaise: 0,
                bidQuantity: 0, askQuantity: 0, volume: 0, openInterest: 0, exchangeTime: .epoch)
        }
    }

    /// A row naming no contract, to be overwritten: the filler `Collector.fill` grows an array with.
    static let blank = QuoteRow(
        tradingsymbol: "", instrumentToken: 0, expiry: CivilDate(daysSinceEpoch: 0), strikePaise: 0, optionType: .call,
        bidPaise: 0, askPaise: 0, ltpPaise: 0, bidQuantity: 0, askQuantity: 0, volume: 0, openInterest: 0, exchangeTime: .epoch)

    /// True when `plan` is the very array these rows were built from (same storage, so same entries).
    func isBuilt(for plan: [(key: String, planned: Cycle.Planned)]) -> Bool {
        plan.count == self.plan.count
            && plan.withUnsafeBufferPointer { given in self.plan.withUnsafeBufferPointer { given.baseAddress == $0.baseAddress } }
    }
}

/// Two row arrays per index that `Collector.finalize` fills in turn.
///
/// The store keeps a snapshot's rows (its list of what an instant stored) until the next snapshot of
/// the same file replaces them, so the array used two snapshots ago is free again: refilled in
/// place, its rows keep their symbols and nothing is allocated, retained or freed per row. An
/// array still held elsewhere is copied on write as usual, so this only ever saves work.
struct RowBuffers: Sendable {
    private var buffers: [[QuoteRow]] = []
    private var turns: [Bool] = []

    /// The array to fill for index `position` (empty the first time), taken out so it is held once.
    mutating func take(_ position: Int) -> [QuoteRow] {
        while turns.count <= position {
            turns.append(false)
            buffers += [[], []]
        }
        turns[position].toggle()
        var rows: [QuoteRow] = []
        swap(&rows, &buffers[2 * position + (turns[position] ? 1 : 0)])
        return rows
    }

    /// Keeps `rows` (a reference, not a copy) as index `position`'s array of this turn.
    mutating func keep(_ rows: [QuoteRow], _ position: Int) {
        buffers[2 * position + (turns[position] ? 1 : 0)] = rows
    }
}
