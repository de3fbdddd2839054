extension StoreDataSource {
    public func analytics(index: String) throws(APIError) -> [UInt8] {
        let rows = try withStoreRows(index)
        let expiries = Array(Set(rows.map(\.quote.expiry))).sorted()
        let analyses = expiries.compactMap { expiry in
            Self.analyse(rows.filter { $0.quote.expiry == expiry }, expiry: expiry, rate: rate)
        }
        let everything = analyses.flatMap { $0.contracts.map(\.contract) }
        let whole = PutCallRatio(everything)
        let nearest = analyses.first
        // Computed here, not through `nearest.flatMap(Self.atmVolatility)`: a metatype captured in the
        // builder's closures is not Sendable.
        let nearestIV = nearest.map { Self.atmVolatility($0) } ?? nil
        let nearestSkew = nearest.map { Self.smileMetrics($0)?.riskReversal25 } ?? nil
        var json = JSONBuilder()
        json.object { body in
            body.field("index", index)
            body.field("at", rows[0].collectedAt.description)
            body.field("underlying", rupees: rows[0].underlyingPaise)
            body.field("pcr_oi", optional: whole.byOpenInterest)
            body.field("pcr_volume", optional: whole.byVolume)
            body.field("max_pain", optional: nearest?.maxPain?.strike)
            body.field("atm_iv", optional: nearestIV)
            body.field("skew", optional: nearestSkew)
            body.key("term_structure")
            body.array { list in
                for analysis in analyses {
                    list.object { item in
                        item.field("expiry", analysis.expiry.description)
                        item.field("years", analysis.years)
                        item.field("atm_iv", optional: Self.atmVolatility(analysis))
                        let pcr = PutCallRatio(analysis.contracts.map(\.contract))
                        item.field("pcr_oi", optional: pcr.byOpenInterest)
                        item.field("max_pain", optional: analysis.maxPain?.strike)
                    }
                }
            }
            body.key("oi_buildup")
            body.array { list in
                for kind in OpenInterestBuildUp.allCases {
                    let count = analyses.reduce(0) { $0 + $1.contracts.filter { $0.buildUp == kind }.count }
                    list.object { $0.field("kind", kind.rawValue); $0.field("contracts", count) }
                }
            }
            body.key("sentiment")
            body.object { item in
                if let sentiment = nearest?.sentiment {
                    item.field("reading", sentiment.reading.rawValue)
                    item.field("score", sentiment.score)
                    item.field("summary", sentiment.summary)
                    item.key("drivers")
                    item.array { drivers in
                        for driver in sentiment.drivers {
                            drivers.object {
                                $0.field("name", driver.name)
                                $0.field("value", driver.value)
                                $0.field("score", driver.score)
                                $0.field("reason", driver.reason)
                            }
                        }
                    }
                }
            }
        }
        return json.bytes
    }

    public func surface(index: String) throws(APIError) -> [UInt8] {
        let rows = try withStoreRows(index)
        let expiries = Array(Set(rows.map(\.quote.expiry))).sorted()
        var slices: [VolatilitySurface.Slice] = []
        var json = JSONBuilder()
        json.object { body in
            body.field("index", index)
            body.field("at", rows[0].collectedAt.description)
            body.key("expiries")
            body.array { list in
                for expiry in expiries {
                    guard let analysis = Self.analyse(rows.filter { $0.quote.expiry == expiry }, expiry: expiry, rate: rate) else { continue }
                    list.object { item in
                        item.field("expiry", expiry.description)
                        item.field("years", analysis.years)
                        do {
                            let fit = try analysis.fitSmile()
                            let p = fit.parameters
                            slices.append(VolatilitySurface.Slice(expiry: expiry, years: fit.years, smile: p))
                            item.key("svi")
                            item.object {
                                $0.field("a", p.a); $0.field("b", p.b); $0.field("rho", p.rho); $0.field("m", p.m); $0.field("sigma", p.sigma)
                            }
                            item.field("rmse", fit.volatilityRMSE)
                            item.field("butterfly_free", fit.isAdmissible)
                            let metrics = SmileMetrics(smile: p, years: fit.years)
                            item.field("atm_iv", metrics.atmVolatility)
                            item.field("rr25", metrics.riskReversal25)
                            item.field("bf25", metrics.butterfly25)
                        } catch {
                            item.field("fit_error", "\(error)")
                        }
                    }
                }
            }
            body.key("grid")
            body.object { grid in
                let moneyness = stride(from: -0.2, through: 0.2001, by: 0.05).map { $0 }
                grid.key("log_moneyness")
                grid.array { list in for k in moneyness { list.value(k) } }
                grid.key("rows")
                grid.array { list in
                    let surface = VolatilitySurface(slices)
                    for slice in slices {
                        list.object { row in
                            row.field("expiry", slice.expiry.description)
                            row.key("iv")
                            row.array { values in
                                for k in moneyness {
                                    if let v = surface.volatility(k: k, years: slice.years), v.isFinite { values.value(v) } else { values.null() }
                                }
                            }
                        }
                    }
                }
                grid.field("calendar_arbitrage_free", VolatilitySurface(slices).calendarViolations().isEmpty)
            }
        }
        return json.bytes
    }

    /// The latest snapshot of `index`, read under the lock.
    func withStoreRows(_ index: String) throws(APIError) -> [StoredRow] {
        lock.lock()
        defer { lock.unlock() }
        return try latestRows(index)
    }

    static func atmVolatility(_ analysis: ChainAnalytics) -> Double? {
        guard let atm = analysis.atmStrike else { return nil }
        let vols = analysis.contracts.filter { $0.contract.strike == atm }.compactMap { $0.impliedVolatility.volatility }
        return vols.isEmpty ? nil : vols.reduce(0, +) / Double(vols.count)
    }

    static func smileMetrics(_ analysis: ChainAnalytics) -> SmileMetrics? {
        guard let fit = try? analysis.fitSmile() else { return nil }
        return SmileMetrics(smile: fit.parameters, years: fit.years)
    }
}
