/// The quote routes: `/quote`, `/quote/ohlc`, `/quote/ltp`.
extension KiteBroker {
    /// Answers a quote call: a map keyed by exactly the requested strings, unknown ones left out.
    ///
    /// The behaviour profile may serve the whole call from an older snapshot (stale) or leave out
    /// a seeded fraction of the answerable instruments (partial), as the real API sometimes does.
    mutating func quote(_ request: KiteHTTPRequest, kind: KiteQuoteKind, at now: KiteInstant, sequence: UInt64)
        -> KiteHTTPResponse
    {
        var keys: [String] = []
        keys.reserveCapacity(request.query.count)
        for item in request.query where item.name == "i" { keys.append(item.value) }
        guard !keys.isEmpty else {
            return KiteError(.input, "No instruments given: send one or more `i=EXCHANGE:TRADINGSYMBOL`.").response
        }
        guard keys.count <= kind.instrumentsMax else {
            return KiteError(.input, "Too many tokens requested. Max permitted is \(kind.instrumentsMax).").response
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
        var seen = Set<String>(minimumCapacity: keys.count)
        var capacity = KiteEnvelope.open.count + 4
        for key in keys { capacity += key.utf8.count * 6 + 3 + KiteQuoteEncoder.entryBytesMax }
        let body = KiteByteWriter.build(capacity: capacity) { out in
            out.raw(KiteEnvelope.open)
            out.byte(0x7B)
            var first = true
            for (position, key) in keys.enumerated() {
                guard seen.insert(key).inserted, let token = listing.token(of: key),
                    let snapshot = market.quote(token: token, at: at)
                else { continue }
                if partial, random.uniform(stream: dropStream, index: UInt64(position)) < profile.partialDropFraction {
                    continue
                }
                if !first { out.byte(0x2C) }
                first = false
                out.string(key)
                out.byte(0x3A)
                KiteQuoteEncoder.write(snapshot, kind: kind, to: &out)
            }
            out.byte(0x7D)
            out.byte(0x7D)
        }
        return .json(status: 200, body: body)
    }
}
