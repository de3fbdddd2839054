import Testing

@testable import Platform

@Suite struct TokenBucketTests {
    static let t0 = Instant(secondsSinceEpoch: 1_795_491_900)

    @Test("a full bucket grants its burst, then denies with the exact wait for the next token")
    func burstThenWait() {
        var bucket = TokenBucket(capacity: 3, refillPerSecond: 1, now: Self.t0)
        for expected in [2, 1, 0] as [Int64] {
            #expect(bucket.take(at: Self.t0) == .granted(remaining: expected))
        }
        #expect(bucket.take(at: Self.t0) == .denied(retryAfter: .seconds(1)))
        #expect(bucket.take(at: Self.t0 + .milliseconds(400)) == .denied(retryAfter: .milliseconds(600)))
        #expect(bucket.take(at: Self.t0 + .seconds(1)).isGranted)
    }

    @Test("over any long run, grants never exceed burst + rate × time", arguments: [0.5, 1, 3, 10] as [Double])
    func neverExceedsRate(rate: Double) {
        var random = SplitMix64(seed: UInt64(rate * 10))
        var bucket = TokenBucket(capacity: 5, refillPerSecond: rate, now: Self.t0)
        var now = Self.t0
        var granted = 0
        for _ in 0..<20_000 {
            now = now + .milliseconds(Int64(random.next(below: 200)))
            if bucket.take(at: now).isGranted { granted += 1 }
            let elapsed = Double((now - Self.t0).wholeNanoseconds) / 1e9
            #expect(Double(granted) <= 5 + rate * elapsed + 1e-9)
        }
        // And a client that waits as told achieves the full rate (within one token).
        let elapsed = Double((now - Self.t0).wholeNanoseconds) / 1e9
        var patient = TokenBucket(capacity: 1, refillPerSecond: rate, now: Self.t0)
        var clock = Self.t0
        var count = 0
        while clock < Self.t0 + .seconds(Int64(elapsed)) {
            switch patient.take(at: clock) {
            case .granted: count += 1
            case .denied(let wait): clock = clock + wait
            }
        }
        #expect(abs(Double(count) - (1 + rate * Double(Int64(elapsed)))) <= 1)
    }
}

extension TokenBucketTests {
    @Test("a bucket of 10^9 tokens refilling 10^9 a second (a benchmark key) refills without overflow")
    func hugeBucket() {
        var bucket = TokenBucket(capacity: 1_000_000_000, refillPerSecond: 1e9, now: Self.t0)
        var now = Self.t0
        for step in 1...1000 {
            now = now + .microseconds(Int64(step))
            #expect(bucket.take(at: now).isGranted)
        }
        #expect(bucket.take(at: now + .seconds(5)) == .granted(remaining: 999_999_999))
    }
}
