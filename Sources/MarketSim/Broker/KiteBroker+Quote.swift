/// The quote routes: `/quote`, `/quote/ohlc`, `/quote/ltp`.
extension KiteBroker {
    /// Answers a quote call: a map keyed by exactly the requested strings, unknown ones left out.
    ///
    /// The behaviour profile may serve the whole call from an older snapshot (stale) or leave out
    /// a seeded fraction of the answerable instruments (partial), as the real API sometimes does.
    mutating func quote(_ request: KiteHTTPRequest, kind: KiteQuoteKind, at now: KiteInstant, sequence: UInt64)
        -> KiteHTTPResponse
    {
        let keys: [String]
        if let cached = resolvedQuoteKeys, cached.keys.count <= kind.instrumentsMax, cached.query == request.query {
            keys = cached.keys  // the last call's query (usually the very same array): the same keys, not rebuilt
        } else if let cached = resolvedQuoteKeys, cached.keys.count <= kind.instrumentsMax,
            cached.isAsked(by: request.query)
        {
            keys = cached.keys  // the same keys as the last call (which passed the checks below), not rebuilt
            resolvedQuoteKeys?.query = request.query  // so the next call repeating this query is known at once
        } else {
            var asked: [String] = []
            asked.reserveCapacity(request.query.count)
            for item in request.query where item.name == "i" { asked.append(item.value) }
            guard !asked.isEmpty else {
                return KiteError(.input, "No instruments given: send one or more `i=EXCHANGE:TRADINGSYMBOL`.").response
            }
            guard asked.count <= kind.instrumentsMax else {
                return KiteError(.input, "Too many tokens requested. Max permitted is \(kind.instrumentsMax).").response
            }
            keys = asked
        }
        let profile = configuration.profile
        var at = now
        if profile.staleQuoteProbability > 0,
            random.uniform(stream: KiteBehaviourProfile.staleStream, index: sequence) < profile.staleQuoteProbability
        {
            at = now.adding(nanoseconds: -profile.staleAgeNanoseconds)
        }
        let partial = profile.partialQuoteProbability > 0
            && random.uniform(stream: KiteBehaviourProfile.partialStream, index: sequence)
                < profile.partialQuoteProbability
        let dropStream = CounterRandom.stream(KiteBehaviourProfile.partialStream, sequence)
        let listing = listing(at: now)
        let resolved = resolveQuoteKeys(keys, query: request.query, listing: listing)
        let capacity = KiteEnvelope.open.count + 4 + resolved.namesBytesMax + keys.count * KiteQuoteEncoder.entryBytesMax
        // The instant is resolved once for the whole call (session, second), not per entry.
        let body = market.withQuoteWriter(at: at) { writeQuote in KiteByteWriter.build(capacity: capacity) { out in
            out.raw(KiteEnvelope.open)
            out.byte(0x7B)
            var first = true
            resolved.names.withUnsafeBufferPointer { names in
                for position in keys.indices {
                    guard let token = resolved.tokens[position] else { continue }
                    // Both skips are pure functions of the call, so the drop is drawn before the
                    // quote is asked, and the entry is written before knowing the market has it.
                    if partial, random.uniform(stream: dropStream, index: UInt64(position)) < profile.partialDropFraction {
                        continue
                    }
                    let mark = out.position
                    if !first { out.byte(0x2C) }
                    let start = resolved.nameStarts[position]
                    out.raw(UnsafeBufferPointer(rebasing: names[start..<resolved.nameStarts[position + 1]]))
                    guard writeQuote(token, kind, &out) else {
                        out.position = mark  // not trading then: take back the separator and name
                        continue
                    }
                    first = false
                }
            }
            out.byte(0x7D)
            out.byte(0x7D)
        } }
        return .json(status: 200, body: body)
    }

    /// The token each key names, nil for unknown keys and for repeats of an earlier key (answered once).
    ///
    /// A collector asks for the same keys every second, so the answer for the last key list is
    /// kept and reused while the list and the listing's day are the same (comparing the lists is
    /// far cheaper than hashing every key). `query` is the request's, whose `i` values are `keys`.
    mutating func resolveQuoteKeys(_ keys: [String], query: [KiteField], listing: KiteListing) -> KiteResolvedQuoteKeys {
        if let cached = resolvedQuoteKeys, cached.date == listing.date, cached.keys == keys { return cached }
        var seen = Set<String>(minimumCapacity: keys.count)
        var tokens: [UInt32?] = []
        tokens.reserveCapacity(keys.count)
        for key in keys {
            tokens.append(seen.insert(key).inserted ? listing.token(of: key) : nil)
        }
        var names: [UInt8] = []
        var nameStarts = [0]
        nameStarts.reserveCapacity(keys.count + 1)
        var namesBytesMax = 0
        for key in keys {
            namesBytesMax += key.utf8.count * 6 + 3
            names += KiteByteWriter.build(capacity: key.utf8.count * 6 + 3) { out in
                out.string(key)
                out.byte(0x3A)
            }
            nameStarts.append(names.count)
        }
        let fresh = KiteResolvedQuoteKeys(date: listing.date, keys: keys, query: query, tokens: tokens, names: names,
                                          nameStarts: nameStarts, namesBytesMax: namesBytesMax)
        resolvedQuoteKeys = fresh
        return fresh
    }
}

/// A quote call's keys resolved to instrument tokens against one day's listing.
struct KiteResolvedQuoteKeys: Sendable {
    let date: KiteDate
    let keys: [String]
    /// A request query whose `i` values are `keys`: the last one that asked for them. A call whose
    /// query equals it (instantly, when it is the same array) asks for `keys` again.
    var query: [KiteField]
    /// By key position: the token to answer, or nil (unknown, or a repeat).
    let tokens: [UInt32?]
    /// Every key as its JSON member name (`"NFO:X":`), end to end; key `i`'s bytes are
    /// `names[nameStarts[i]..<nameStarts[i + 1]]`. Escaped once per key list, copied per call.
    let names: [UInt8]
    let nameStarts: [Int]
    /// Room the names can take when written out escaped (6 bytes per UTF-8 byte at most, quotes, colon).
    let namesBytesMax: Int

    /// Whether `query`'s `i` values are exactly `keys`, in order.
    func isAsked(by query: [KiteField]) -> Bool {
        var position = 0
        for item in query where item.name == "i" {
            guard position < keys.count, keys[position] == item.value else { return false }
            position += 1
        }
        return position == keys.count
    }
}
