/// The market model: a deterministic NSE/BSE index-options market, a pure function of (seed, instrument, time).
///
/// (Named `MarketModel`, not `MarketSim`: a type named like its module would shadow module-qualified
/// names such as `MarketSim.CounterRandom`.)
///
/// # How it works (reading order)
///
/// 1. `Instruments/MarketSpec` — the structure as dated data, from `fixtures/markets/*.json`
///    (embedded as `Fixtures/MarketFixtures.swift` by `fixtures/markets/embed.sh`): holidays, the
///    09:15–15:30 session, and per index the lot sizes and weekly/monthly expiry weekdays keyed by
///    expiry date, strike step, tokens and model defaults. A rule change is a fixture edit.
/// 2. `Calendar/` — `TradingDate`, `MarketTime` (ns since epoch, IST views) and `TradingCalendar`.
/// 3. `Instruments/ExpirySchedule`, `ContractCatalog`, `Tradingsymbol`, `Contract` — what is listed
///    on a date: expiries (holiday-adjusted, with collector buckets), strike grids that re-centre and
///    never shrink, Kite symbols and derived instrument tokens (exchange_token × 256 + segment).
/// 4. `Paths/DailySkeleton` — daily opens and closes from the anchor date (regime-switching vol,
///    overnight gaps, market-factor correlation); `Paths/IntradayPath` — one session per second,
///    with U-shaped seasonality, clustered log-volatility with leverage, market-wide jumps, bridged
///    onto the skeleton.
/// 5. `Surface/` — `TermStructure` (θ(τ) increasing by construction), `SSVI` (butterfly-free by the
///    η(1+|ρ|) ≤ 2 bound), `ExpirySlice` (forward, discount, θ, smile and spread multiplier for one
///    expiry at one second), `IndiaVIX` (the variance-strip formula on the NIFTY surface).
/// 6. `Chain/` — `Black76` and `KernelMath` (portable, division-free exp/log: prices are
///    bit-identical across machines and optimisation levels), `QuoteRule` (half-tick mid, symmetric spread: every model no-arbitrage
///    inequality survives quantisation), `TradeTape` (Poisson trades per contract-minute, volume,
///    OI), `Market+Chain`, `MarketQuote` (Kite full quote with 5-level depth), `MarketEvent` (the
///    fixed in-second order), `SessionStream` (the whole day, fast). On-demand quotes go through
///    `QuoteTerms` (per-contract constants by dense id, `TokenTable`), `TapeCursor` (a tape walked
///    forward) and, for a broker serving a session, `QuoteCache` (slices per second, cursors).
///
/// # API for the simulated world and the mock broker
///
/// ```swift
/// let market = try Market(seed: scenario.seed, date: sessionDate, indices: ["NIFTY", "BANKNIFTY"])
/// market.instruments(on: sessionDate)              // the instruments dump rows (Kite columns)
/// market.quote(token: 256265, at: time)            // index, INDIA VIX, future or option: MarketQuote
/// market.quote(token: t, at: time, cache: cache)   // the same, sharing work across a session (QuoteCache)
/// market.chain(index: "NIFTY", expiry: nil, at: time)   // OptionChain with ground-truth IV
/// market.expiries(index: "NIFTY")                  // listed expiries with bucket names
/// market.events(index: "NIFTY", second: s)         // ordered MarketEvents of one second
/// var stream = try SessionStream(market: market, indices: ["NIFTY"], expiries: 4, strikesEachSide: 20)
/// stream.advance(to: s)                            // bids/asks/tapes for a whole day, fast
/// ```
///
/// Times are `MarketTime` (nanoseconds since the Unix epoch, the same encoding as
/// `Platform.Instant.nanosecondsSinceEpoch`); dates are `TradingDate` (days since the epoch, as
/// `Platform.CivilDate.daysSinceEpoch`). Prices leave as integer paise or ticks of 0.05. Model
/// parameters are overridden by editing `MarketSpec.standard.indices[i].model`, and crashes or
/// volatility spikes staged by appending `MarketShock`s to `spec.shocks`, then passing the spec to
/// `Market(seed:date:indices:spec:)`; a scenario's `market` section does both. A move of 10% or
/// more in NIFTY or SENSEX halts the whole market under SEBI's circuit breaker (`Paths/MarketHalt`):
/// time-addressed answers (`quote`, `chain`) stay at the last traded second until trading resumes.
///
/// Speed: `opsim-bench market` plays a full session (5 indices × 4 expiries × 41 strikes × CE/PE,
/// 36.9 M quotes, trades, OI) in about 2.7 s of CPU on one core, peak RSS about 27 MB.
public enum MarketModel {
    /// The version of the market model; bump when the same seed starts giving different prices.
    public static let modelVersion = 1
}
