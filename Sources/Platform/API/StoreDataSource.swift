import Foundation
import Synchronization

/// The API's data over the store, the collector's contract list and the analytics engine.
///
/// Chains come from the latest stored snapshot; IV and Greeks are computed on request with
/// Black-76 on the put-call-parity forward (`ChainAnalytics`). The live driver (or the simulation)
/// keeps the contract list, health and metrics current through `update…`, and says when a snapshot
/// lands (`snapshotStored`), which moves `dataGeneration` on so cached chain bodies are recomputed.
/// Thread-safe: every read and update takes one lock, so several server loops can share an instance.
public final class StoreDataSource<Store: SnapshotQueries>: PlatformDataSource, @unchecked Sendable {
    let lock = NSLock()
    private let generation = Atomic<UInt64>(0)
    private var store: Store
    private var contracts: [IndexContracts] = []
    private var collected: [CollectorIndex]
    private var healthProvider: @Sendable (Instant) -> [ComponentHealth] = { _ in [] }
    private var metricsProvider: @Sendable () -> String = { "" }
    /// Continuous risk-free rate per 1.00 used for IV and Greeks.
    public let rate: Double

    public init(store: Store, indices: [CollectorIndex], rate: Double = 0.065) {
        self.store = store
        self.collected = indices
        self.rate = rate
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` with the store, under the lock (the live collector writes through this).
    ///
    /// Counts as a change of data: the generation moves on once `body` has returned.
    public func withStore<T>(_ body: (inout Store) throws -> T) rethrows -> T {
        defer { bumpGeneration() }
        return try locked { try body(&store) }
    }

    /// Replaces the contract list (expiry buckets); cached chains are recomputed.
    public func update(contracts: [IndexContracts]) {
        locked { self.contracts = contracts }
        bumpGeneration()
    }

    /// Says that a snapshot was written to the store this source reads (call it after the write
    /// has returned, so a request that sees the new generation also sees the new rows).
    public func snapshotStored() { bumpGeneration() }

    /// Moves on after every data change: a snapshot stored, the contract list, a store swap.
    public var dataGeneration: UInt64? { generation.load(ordering: .acquiring) }

    private func bumpGeneration() { _ = generation.wrappingAdd(1, ordering: .releasing) }

    public func update(health: @escaping @Sendable (Instant) -> [ComponentHealth], metrics: @escaping @Sendable () -> String) {
        locked {
            healthProvider = health
            metricsProvider = metrics
        }
    }

    public func indices() -> [IndexView] {
        locked {
            collected.map { index in
                let known = contracts.first { $0.index.symbol == index.symbol }
                let strikes = known?.expiries.first.flatMap { known?.strikes[$0] } ?? []
                let step = zip(strikes.dropFirst(), strikes).map { $0 - $1 }.min() ?? 0
                let latest = (try? store.queryLatest(index: index.symbol))?.first
                return IndexView(
                    symbol: index.symbol, exchange: index.derivativesExchange, lotSize: known?.lotSize ?? 0,
                    strikeStepPaise: step, lastPaise: latest?.underlyingPaise, lastUpdate: latest?.collectedAt)
            }
        }
    }

    public func expiries(index: String) -> [ExpiryView]? {
        locked {
            guard collected.contains(where: { $0.symbol == index }) else { return nil }
            guard let known = contracts.first(where: { $0.index.symbol == index }) else {
                // No contract list (a reader beside another process): the expiries collected so far.
                let rows = (try? store.queryLatest(index: index)) ?? []
                return Array(Set(rows.map(\.quote.expiry))).sorted().map { ExpiryView(date: $0, bucket: "collected") }
            }
            let buckets = known.buckets
            return known.expiries.map { date in
                ExpiryView(date: date, bucket: buckets.filter { $0.expiry == date }.map(\.bucket.rawValue).joined(separator: ",")
                    .nilIfEmpty ?? "listed")
            }
        }
    }

    /// The latest snapshot of `index`, or a 404/503 saying why there is none.
    func latestRows(_ index: String) throws(APIError) -> [StoredRow] {
        guard collected.contains(where: { $0.symbol == index }) else {
            throw .notFound("unknown index \(index); collected: \(collected.map(\.symbol).joined(separator: ", "))")
        }
        let rows: [StoredRow]
        do {
            rows = try store.queryLatest(index: index)
        } catch {
            throw .unavailable("cannot read the store: \(error)")
        }
        guard !rows.isEmpty else { throw .unavailable("no snapshot of \(index) collected yet") }
        return rows
    }

    public func chain(index: String, expiry: CivilDate?, bucket: String?, strikes: Int?) throws(APIError) -> ChainView {
        lock.lock()
        defer { lock.unlock() }
        let rows = try latestRows(index)
        let listed = Array(Set(rows.map(\.quote.expiry))).sorted()
        var chosen = listed.first!
        if let expiry {
            guard listed.contains(expiry) else {
                throw .notFound("no collected contracts expire on \(expiry); collected expiries: \(listed.map(\.description).joined(separator: ", "))")
            }
            chosen = expiry
        } else if let bucket {
            let known = contracts.first { $0.index.symbol == index }?.buckets
            guard let date = known?.first(where: { $0.bucket.rawValue == bucket })?.expiry, listed.contains(date) else {
                throw .notFound("no collected expiry in bucket \(bucket) for \(index)")
            }
            chosen = date
        }
        let chainRows = rows.filter { $0.quote.expiry == chosen }
        let analytics = Self.analyse(chainRows, expiry: chosen, rate: rate)
        let underlying = chainRows[0].underlyingPaise
        let strikesListed = Array(Set(chainRows.map(\.quote.strikePaise))).sorted()
        let atm = strikesListed.min { abs($0 - underlying) < abs($1 - underlying) } ?? underlying
        var kept = Set(strikesListed)
        if let strikes, let center = strikesListed.firstIndex(of: atm) {
            kept = Set(strikesListed[max(0, center - strikes)...min(strikesListed.count - 1, center + strikes)])
        }
        let views = chainRows.filter { kept.contains($0.quote.strikePaise) }.map { row -> ChainRowView in
            let kind: OptionKind = row.quote.optionType == .call ? .call : .put
            let result = analytics?.contracts.first {
                $0.contract.strike == Double(row.quote.strikePaise) / 100 && $0.contract.kind == kind
            }
            return ChainRowView(
                quote: row.quote, impliedVolatility: result?.impliedVolatility.volatility, delta: result?.greeks?.delta,
                gamma: result?.greeks?.gamma, vega: result?.greeks?.vega, thetaPerDay: result?.greeks?.thetaPerCalendarDay)
        }
        return ChainView(
            index: index, expiry: chosen, collectedAt: chainRows[0].collectedAt, underlyingPaise: underlying,
            forwardPaise: analytics?.forward.map { Int64(($0 * 100).rounded()) }, atmStrikePaise: atm, rows: views)
    }

    /// Chain analytics of one expiry's rows, pricing each contract at its mid (or last price).
    static func analyse(_ rows: [StoredRow], expiry: CivilDate, rate: Double) -> ChainAnalytics? {
        guard let first = rows.first else { return nil }
        let contracts = rows.map { row -> ChainContract in
            let quote = row.quote
            let mid = quote.bidPaise > 0 && quote.askPaise > 0 ? Double(quote.bidPaise + quote.askPaise) / 200 : Double(quote.ltpPaise) / 100
            return ChainContract(
                expiry: expiry, strike: Double(quote.strikePaise) / 100, kind: quote.optionType == .call ? .call : .put,
                lastPrice: mid, openInterest: Double(quote.openInterest), volume: Double(quote.volume))
        }
        return ChainAnalytics(contracts, expiry: expiry, spot: Double(first.underlyingPaise) / 100, now: first.collectedAt,
                              configuration: .init(rate: rate))
    }

    public func history(index: String, query: HistoryQuery) throws(APIError) -> HistoryPage {
        lock.lock()
        defer { lock.unlock() }
        guard collected.contains(where: { $0.symbol == index }) else { throw .notFound("unknown index \(index)") }
        var from = query.from
        if let cursor = query.cursor {
            guard let nanos = Int64(cursor) else { throw .badRequest("cursor is not one this server issued: \(cursor)") }
            from = max(from, Instant(nanosecondsSinceEpoch: nanos))
        }
        var rows: [StoredRow] = []
        var next: String?
        let dates = ((try? store.queryDates(index: index)) ?? []).filter {
            $0 >= ISO8601.istDate(of: from) && $0 <= ISO8601.istDate(of: query.to)
        }
        for date in dates {
            let page: [StoredRow]
            do {
                page = try store.queryRange(index: index, date: date, from: from, to: query.to, limit: query.limit - rows.count)
            } catch {
                throw .unavailable("cannot read the store: \(error)")
            }
            rows += page
            let times = (try? store.querySnapshotTimes(index: index, date: date)) ?? []
            if let last = page.last?.collectedAt, let after = times.first(where: { $0 > last }), after <= query.to {
                next = String(after.nanosecondsSinceEpoch)
                break
            }
            if rows.count >= query.limit { break }
        }
        let filtered = rows.filter { row in
            (query.strikePaise.map { $0 == row.quote.strikePaise } ?? true) && (query.optionType.map { $0 == row.quote.optionType } ?? true)
        }
        return HistoryPage(rows: filtered, nextCursor: next)
    }

    public func health(at now: Instant) -> HealthReport {
        let provider = locked { healthProvider }
        return HealthReport(at: now, components: provider(now))
    }

    public func metricsText() -> String {
        let provider = locked { metricsProvider }
        return provider()
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
