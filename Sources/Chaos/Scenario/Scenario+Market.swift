import MarketSim
import Platform

extension Scenario {
    /// The scenario's `market` section: model parameters per index and scheduled market events.
    ///
    /// Overrides replace the fixture's defaults (`fixtures/markets/india-index-options.json`) for
    /// the whole run, including the daily skeleton the session's open comes from; events are
    /// `MarketShock`s on the session date.
    public struct MarketSection: Sendable, Equatable {
        /// Model overrides, in file order; each names its index.
        public var models: [IndexModelOverride] = []
        /// Scheduled jumps and volatility windows, in file order.
        public var events: [MarketShock] = []
        /// Whether SEBI's market-wide circuit breaker halts trading (`circuit_breakers`, default true).
        public var circuitBreakers = true

        public init() {}

        /// `base` with this section's overrides and events applied.
        public func spec(from base: MarketSpec) -> MarketSpec {
            var spec = base
            for override in models {
                guard let position = spec.indices.firstIndex(where: { $0.name == override.index }) else { continue }
                override.apply(to: &spec.indices[position].model)
            }
            spec.shocks += events
            spec.circuitBreakers = circuitBreakers
            return spec
        }

        /// One line per event for the event log's header, e.g. `11:00:00 NIFTY jump -4%`.
        public func eventSummary(openSecond: Int) -> String {
            events.map { event in
                let at = ScenarioDecoder.formatTime(openSecond + event.second)
                let target = event.index ?? "all"
                switch event.kind {
                case .jump(let logReturn):
                    return "\(at) \(target) jump \(((PortableMath.exp(logReturn) - 1) * 10_000).rounded() / 100)%"
                case .volatility(let factor, let until):
                    return "\(at)-\(ScenarioDecoder.formatTime(openSecond + until)) \(target) volatility x\(factor)"
                }
            }.joined(separator: "; ")
        }
    }

    /// Model parameters one index overrides; nil keeps the fixture's value. Units as `IndexModel`.
    public struct IndexModelOverride: Sendable, Equatable {
        public var index: String
        public var vol, volOfVol, beta, jumpsPerDay, jumpMean, jumpVol, gapVol, skewRho, smileEta,
            variancePremium, tradesPerMinute: Double?

        public init(index: String) { self.index = index }

        /// Writes the values set here into `model`.
        public func apply(to model: inout IndexModel) {
            if let vol { model.vol = vol }
            if let volOfVol { model.volOfVol = volOfVol }
            if let beta { model.beta = beta }
            if let jumpsPerDay { model.jumpsPerDay = jumpsPerDay }
            if let jumpMean { model.jumpMean = jumpMean }
            if let jumpVol { model.jumpVol = jumpVol }
            if let gapVol { model.gapVol = gapVol }
            if let skewRho { model.skewRho = skewRho }
            if let smileEta { model.smileEta = smileEta }
            if let variancePremium { model.variancePremium = variancePremium }
            if let tradesPerMinute { model.tradesPerMinute = tradesPerMinute }
        }
    }
}
