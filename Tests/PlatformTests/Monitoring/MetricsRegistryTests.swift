import Foundation
import Testing

@testable import Platform

@Suite struct MetricsRegistryTests {
    static func sample() -> MetricsRegistry {
        var metrics = MetricsRegistry()
        metrics.declare(.counter("opsim_requests_total", help: "Requests sent.\nBy route.", labels: ["route", "status"]))
        metrics.declare(.gauge("opsim_freshness_seconds", help: "Age of the newest snapshot."))
        metrics.declare(.histogram("opsim_fsync_seconds", help: "fsync latency.", buckets: [0.001, 0.01, 0.1]))
        metrics.increment("opsim_requests_total", labels: ["/quote", "200"], by: 3)
        metrics.increment("opsim_requests_total", labels: ["/instruments", "200"])
        metrics.increment("opsim_requests_total", labels: ["/quote", "429"])
        metrics.set("opsim_freshness_seconds", to: 1.5)
        for value in [0.0005, 0.002, 0.05, 3] { metrics.observe("opsim_fsync_seconds", value) }
        return metrics
    }

    @Test("the exposition text is exactly the Prometheus format, sorted by name and labels")
    func exposition() {
        #expect(Self.sample().prometheusText() == """
            # HELP opsim_freshness_seconds Age of the newest snapshot.
            # TYPE opsim_freshness_seconds gauge
            opsim_freshness_seconds 1.5
            # HELP opsim_fsync_seconds fsync latency.
            # TYPE opsim_fsync_seconds histogram
            opsim_fsync_seconds_bucket{le="0.001"} 1
            opsim_fsync_seconds_bucket{le="0.01"} 2
            opsim_fsync_seconds_bucket{le="0.1"} 3
            opsim_fsync_seconds_bucket{le="+Inf"} 4
            opsim_fsync_seconds_sum 3.0525
            opsim_fsync_seconds_count 4
            # HELP opsim_requests_total Requests sent.\\nBy route.
            # TYPE opsim_requests_total counter
            opsim_requests_total{route="/instruments",status="200"} 1
            opsim_requests_total{route="/quote",status="200"} 3
            opsim_requests_total{route="/quote",status="429"} 1

            """)
    }

    @Test("label values escape backslash, quote and newline")
    func escaping() {
        var metrics = MetricsRegistry()
        metrics.declare(.gauge("g", help: "h", labels: ["l"]))
        metrics.set("g", labels: ["a\"b\\c\nd\r\ne"], to: 1)
        #expect(metrics.prometheusText().contains(#"g{l="a\"b\\c\nd\#r\ne"} 1"#))
    }

    @Test("the order of updates does not change the text")
    func orderIndependent() {
        var a = MetricsRegistry()
        var b = MetricsRegistry()
        for registry in [0, 1] {
            var metrics = MetricsRegistry()
            metrics.declare(.counter("c_total", help: "c", labels: ["k"]))
            let keys = registry == 0 ? ["x", "y", "z"] : ["z", "x", "y"]
            for key in keys { metrics.increment("c_total", labels: [key]) }
            if registry == 0 { a = metrics } else { b = metrics }
        }
        #expect(a.prometheusText() == b.prometheusText())
    }

    static let promtoolPath = ["/usr/bin/promtool", "/usr/local/bin/promtool"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    // Reported as skipped where promtool is absent (install: apt-get install prometheus).
    @Test("promtool check metrics accepts the exposition", .enabled(if: promtoolPath != nil))
    func promtool() throws {
        let tool = try #require(Self.promtoolPath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(Self.sample().prometheusText().utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(text)")
    }

    @Test("health is the worst component status, ready unless one is down, and renders JSON with staleness")
    func health() throws {
        let now = Instant(secondsSinceEpoch: 1_795_491_960)
        let report = HealthReport(at: now, components: [
            ComponentHealth(name: "store", status: .ok, lastSuccess: now - .seconds(1)),
            ComponentHealth(name: "collector", status: .degraded(reason: "429 from /quote"), lastSuccess: now - .seconds(4)),
        ])
        #expect(report.overall == .degraded(reason: "429 from /quote"))
        #expect(report.isReady)
        let parsed = try JSONParser.parse(report.json)
        #expect(parsed["status"] == .string("degraded"))
        guard case .array(let components) = parsed["components"] else { Issue.record("no components"); return }
        #expect(components.first?["name"] == .string("collector"))
        #expect(components.first?["staleness_seconds"] == .number(JSONNumber(text: "4")))
        let down = HealthReport(at: now, components: [ComponentHealth(name: "broker", status: .down(reason: "refused"))])
        #expect(!down.isReady)
    }
}
