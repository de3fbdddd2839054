import Testing

@testable import MarketSim

@Suite struct SSVITests {
    /// Random (ρ, η, θ₁ < θ₂) draws; η is drawn up to 1.3× the bound so some draws must be rejected.
    func draws(_ count: Int) -> [(rho: Double, eta: Double, theta1: Double, theta2: Double)] {
        let random = CounterRandom(seed: 77)
        return (0..<count).map { i in
            let rho = 1.98 * random.uniform(stream: 1, index: UInt64(i)) - 0.99
            let eta = 1.3 * SSVI.etaMax(rho: rho) * random.openUniform(stream: 2, index: UInt64(i))
            let theta1 = 0.0001 + 0.3 * random.uniform(stream: 3, index: UInt64(i))
            let theta2 = theta1 + 0.3 * random.openUniform(stream: 4, index: UInt64(i))
            return (rho, eta, theta1, theta2)
        }
    }

    @Test("accepted draws satisfy Durrleman's g(k) ≥ 0 on [−2, 2] (step 1e-3) and Gatheral–Jacquier's bounds; violators are rejected")
    func butterflyFree() {
        var accepted = 0
        var rejected = 0
        for draw in draws(400) {
            guard let ssvi = SSVI(rho: draw.rho, eta: draw.eta) else {
                #expect(draw.eta * (1 + abs(draw.rho)) > 2)
                rejected += 1
                continue
            }
            accepted += 1
            for theta in [draw.theta1, draw.theta2] {
                let phi = ssvi.phi(theta: theta)
                #expect(theta * phi * (1 + abs(ssvi.rho)) < 4)
                #expect(theta * phi * phi * (1 + abs(ssvi.rho)) <= 4 + 1e-12)
                var k = -2.0
                var minimum = Double.infinity
                while k <= 2 {
                    minimum = min(minimum, ssvi.durrleman(k: k, theta: theta))
                    k += 1e-3
                }
                #expect(minimum >= -1e-10, "g < 0 for ρ=\(ssvi.rho) η=\(ssvi.eta) θ=\(theta)")
            }
        }
        #expect(accepted >= 200)
        #expect(rejected > 0)
    }

    @Test("total variance is non-decreasing in θ at every fixed k on [−1.5, 1.5] (no calendar arbitrage), over 200 accepted draws")
    func calendarFree() {
        var checked = 0
        for draw in draws(400) {
            guard let ssvi = SSVI(rho: draw.rho, eta: draw.eta), checked < 200 else { continue }
            checked += 1
            var k = -1.5
            while k <= 1.5 {
                #expect(ssvi.totalVariance(k: k, theta: draw.theta2) >= ssvi.totalVariance(k: k, theta: draw.theta1) - 1e-10)
                k += 0.01
            }
            // ∂θ(θφ) within [0, (1/ρ²)(1 + √(1−ρ²))φ], by a central difference.
            let h = draw.theta1 * 1e-5
            let derivative = ((draw.theta1 + h) * ssvi.phi(theta: draw.theta1 + h)
                - (draw.theta1 - h) * ssvi.phi(theta: draw.theta1 - h)) / (2 * h)
            let rho2 = ssvi.rho * ssvi.rho
            #expect(derivative >= 0)
            #expect(rho2 == 0 || derivative <= (1 + (1 - rho2).squareRoot()) / rho2 * ssvi.phi(theta: draw.theta1))
        }
        #expect(checked == 200)
    }

    @Test("each SSVI slice is a valid raw-SVI slice: b ≥ 0, |ρ| < 1, σ > 0, a + bσ√(1−ρ²) ≥ 0, b(1+|ρ|) ≤ 2")
    func rawSVIConditions() {
        for draw in draws(300) {
            guard let ssvi = SSVI(rho: draw.rho, eta: draw.eta) else { continue }
            let raw = ssvi.rawSVI(theta: draw.theta2)
            #expect(raw.b >= 0 && abs(raw.rho) < 1 && raw.sigma > 0)
            #expect(raw.a + raw.b * raw.sigma * (1 - raw.rho * raw.rho).squareRoot() >= -1e-15)
            #expect(raw.b * (1 + abs(raw.rho)) <= 2)
            let k = 0.37
            let w = raw.a + raw.b * (raw.rho * (k - raw.m) + ((k - raw.m) * (k - raw.m) + raw.sigma * raw.sigma).squareRoot())
            #expect(abs(w - ssvi.totalVariance(k: k, theta: draw.theta2)) <= 1e-12)
        }
    }

    @Test("the term structure's θ(τ) is strictly increasing in τ for any positive spot and long-run variance")
    func termStructureIncreasing() {
        let random = CounterRandom(seed: 3)
        for i in 0..<200 {
            let term = TermStructure(
                spotVariance: 0.001 + random.uniform(stream: 1, index: UInt64(i)),
                longRunVariance: 0.001 + 0.2 * random.uniform(stream: 2, index: UInt64(i)),
                meanReversion: 0.5 + 20 * random.uniform(stream: 3, index: UInt64(i)))
            var previous = 0.0
            for day in 1...400 {
                let theta = term.theta(tau: Double(day) / 365)
                #expect(theta > previous)
                previous = theta
            }
        }
    }
}
