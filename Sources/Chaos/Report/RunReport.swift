import MarketSim
import Platform

/// The HTML run report `opsim run --out DIR` writes as `DIR/report.html`: one self-contained page
/// (inline CSS and SVG, no script) with the run's identity and digest, its invariants, the platform's
/// counters, timelines of what was stored and what the broker answered, with the scenario's fault
/// windows and market events drawn in, and the first failures.
///
/// Every figure comes from the event log (through `RunTimeline`) or the run's outcome, so the page
/// says nothing the log does not; wall time is the one figure measured outside the simulation.
public enum RunReport {
    /// The page for `summary` of `scenario`, with `timeline` folded from the run's event log.
    public static func html(summary: RunSummary, scenario: Scenario, timeline: RunTimeline) -> String {
        let outcome = summary.outcome
        var page = head(title: "opsim run: \(summary.scenario)")
        page += "<h1>opsim run: \(HTML.escape(summary.scenario))</h1>"
        if !scenario.purpose.isEmpty { page += "<p class=\"purpose\">\(HTML.escape(scenario.purpose))</p>" }
        let verdict = outcome.invariantsHold ? "<span class=\"ok\">every invariant held</span>" : "<span class=\"bad\">an invariant was violated</span>"
        page += "<p class=\"verdict\">\(verdict)</p>"
        page += table(header: nil, rows: [
            ["seed", String(summary.seed)],
            ["span", "\(outcome.start) → \(outcome.end) (\(SVGChart.number(outcome.virtualSeconds)) s virtual, ended: \(outcome.endReason.rawValue))"],
            ["events", "\(outcome.events) logged, \(outcome.steps) steps"],
            ["wall", "\(SVGChart.number((summary.wallSeconds * 1000).rounded() / 1000)) s, \(SVGChart.number(summary.speedup.rounded()))× real time"],
            ["digest", "<code>\(outcome.digest.hexString)</code>"],
        ] + timeline.header.filter { !["scenario", "seed", "end"].contains($0.key) }.map { [$0.key.replacingOccurrences(of: "_", with: " "), HTML.escape($0.value)] },
            escapeCells: false)
        page += "<h2>Invariants</h2>"
        page += table(header: ["invariant", "verdict", "events checked", "detail"], rows: outcome.invariants.map { result in
            [HTML.escape(result.id), result.holds ? "<span class=\"ok\">holds</span>" : "<span class=\"bad\">violated</span>",
             String(result.checked), HTML.escape(result.detail ?? "")]
        }, escapeCells: false)
        if !outcome.counters.isEmpty {
            page += "<h2>Platform</h2>"
            page += table(header: nil, rows: outcome.counters.map { [$0.name.replacingOccurrences(of: "_", with: " "), String($0.value)] }, escapeCells: true)
        }
        page += "<h2>Timeline</h2><p class=\"note\">Buckets of \(timeline.bucketSeconds) s of virtual time (IST). Shaded: link outages (grey), broker maintenance (orange), volatility windows (purple), circuit-breaker halts (red), quotes the collector found stale (yellow); dashed: jumps and scheduled ticker drops.</p>"
        page += charts(timeline, scenario: scenario)
        page += "<h2>Failures</h2>"
        if timeline.failures.isEmpty {
            page += "<p>None logged.</p>"
        } else {
            page += table(header: ["at", "component", "what", "detail"], rows: timeline.failures.map { failure in
                [clock(failure.time), failure.component, failure.kind, failure.detail]
            }, escapeCells: true)
            if timeline.failureCount > timeline.failures.count {
                page += "<p class=\"note\">… and \(timeline.failureCount - timeline.failures.count) more in the event log.</p>"
            }
        }
        page += "<footer>Written by <code>opsim run --out</code> from the run's event log (whose SHA-256 is the digest) and its outcome (<code>summary.json</code>).</footer></body></html>\n"
        return page
    }

    static func charts(_ timeline: RunTimeline, scenario: Scenario) -> String {
        let buckets = timeline.buckets
        let count = buckets.count
        func series(_ name: String, _ color: String, _ value: (RunTimeline.Bucket) -> Int) -> SVGChart.Series {
            SVGChart.Series(name: name, color: color, values: buckets.map { Double(value($0)) })
        }
        func chart(_ title: String, _ unit: String) -> SVGChart {
            var chart = SVGChart(title: title, unit: unit, buckets: count, bucketSeconds: timeline.bucketSeconds,
                                 startSecondOfDay: ISO8601.istSecondOfDay(of: timeline.start)) {
                clock(timeline.bucketStart($0))
            }
            decorate(&chart, timeline: timeline, scenario: scenario)
            return chart
        }
        var out = ""
        if !timeline.indices.isEmpty, buckets.contains(where: { $0.underlyingPaise.contains { $0 != nil } }) {
            let palette = ["#1f5fa8", "#c2571a", "#2e7d32", "#6a1b9a", "#00838f"]
            let lines = timeline.indices.enumerated().map { position, name -> SVGChart.Series in
                let first = buckets.lazy.compactMap { $0.underlyingPaise.indices.contains(position) ? $0.underlyingPaise[position] : nil }.first
                return SVGChart.Series(name: name, color: palette[position % palette.count], values: buckets.map { bucket in
                    guard let first, bucket.underlyingPaise.indices.contains(position), let value = bucket.underlyingPaise[position] else { return nil }
                    return (Double(value) / Double(first) - 1) * 100
                })
            }
            out += chart("Underlying as collected, % from the first snapshot", "%").lines(lines, zeroBased: false)
        }
        out += chart("Snapshots per bucket", "").bars([
            series("complete", "#2e7d32", \.snapshotsComplete), series("partial", "#f9a825", \.snapshotsPartial),
            series("missed", "#b3261e", \.snapshotsMissed),
        ])
        out += chart("Broker responses per bucket", "").bars([
            series("ok", "#1f5fa8", \.responsesOK), series("429", "#f9a825", \.responsesRateLimited),
            series("4xx", "#c2571a", \.responsesClientError), series("5xx", "#b3261e", \.responsesServerError),
            series("link fault", "#555555", \.transportFaults),
        ])
        let p50 = SVGChart.Series(name: "p50", color: "#1f5fa8", values: buckets.map { percentile($0.latenciesMicros, 0.5) })
        let p99 = SVGChart.Series(name: "p99", color: "#b3261e", values: buckets.map { percentile($0.latenciesMicros, 0.99) })
        out += chart("Broker latency (request to response)", "ms").lines([p50, p99])
        if buckets.contains(where: { $0.batchesFailed + $0.batchesSkipped + $0.tickerDrops + $0.rowsAlreadyStored > 0 }) {
            out += chart("Collector trouble per bucket", "").bars([
                series("batch failed", "#b3261e", \.batchesFailed), series("skipped (circuit open)", "#f9a825", \.batchesSkipped),
                series("ticker drop", "#6a1b9a", \.tickerDrops), series("rows deduplicated", "#00838f", \.rowsAlreadyStored),
            ])
        }
        if buckets.contains(where: { $0.apiOK + $0.apiErrors > 0 }) {
            out += chart("API responses to simulated clients", "").bars([
                series("ok", "#2e7d32", \.apiOK), series("error", "#b3261e", \.apiErrors),
            ])
        }
        out += chart("Rows stored per bucket", "").bars([series("rows", "#2e7d32", \.rowsStored)])
        return out
    }

    /// Draws the scenario's windows and events onto `chart`.
    static func decorate(_ chart: inout SVGChart, timeline: RunTimeline, scenario: Scenario) {
        func position(_ instant: Instant) -> Double {
            Double((instant - timeline.start).wholeNanoseconds) / 1e9 / Double(timeline.bucketSeconds)
        }
        func position(secondOfDay: Int) -> Double {
            position(ISO8601.instant(scenario.sessionDate, hour: 0, minute: 0, second: secondOfDay))
        }
        for outage in scenario.link.outages {
            chart.shade(from: position(outage.lowerBound), to: position(outage.upperBound), label: "outage", color: "#555555")
        }
        for window in scenario.broker.maintenanceWindows {
            chart.shade(from: position(secondOfDay: window.startSecondOfDay), to: position(secondOfDay: window.endSecondOfDay),
                        label: "maintenance", color: "#ef6c00")
        }
        let open = MarketSpec.standard.calendar.openSecond
        var jumps: [(second: Int, label: String)] = []
        for event in scenario.market?.events ?? [] {
            let target = event.index ?? "all"
            switch event.kind {
            case .volatility(let factor, let until):
                chart.shade(from: position(secondOfDay: open + event.second), to: position(secondOfDay: open + until),
                            label: "vol ×\(SVGChart.number(factor)) \(target)", color: "#6a1b9a")
            case .jump(let logReturn):
                let percent = ((PortableMath.exp(logReturn) - 1) * 10_000).rounded() / 100
                let label = "\(target) \(SVGChart.number(percent))%"
                if let same = jumps.firstIndex(where: { $0.second == event.second }) {
                    jumps[same].label += ", " + label
                } else {
                    jumps.append((event.second, label))
                }
            }
        }
        for jump in jumps { chart.marker(at: position(secondOfDay: open + jump.second + 1), label: jump.label) }
        for stale in timeline.staleQuotes {
            chart.shade(from: position(stale.from), to: stale.until.map(position) ?? Double(timeline.buckets.count),
                        label: stale.label, color: "#f9a825")
        }
        for halt in timeline.halts {
            chart.shade(from: position(halt.from), to: halt.until.map(position) ?? Double(timeline.buckets.count),
                        label: halt.label, color: "#b3261e")
        }
        for drop in scenario.link.tickerDisconnects {
            chart.marker(at: position(drop), label: "ticker drop", color: "#6a1b9a")
        }
    }

    /// The q-quantile of `micros` in milliseconds (nearest rank), or nil when empty.
    static func percentile(_ micros: [Int], _ q: Double) -> Double? {
        guard !micros.isEmpty else { return nil }
        let sorted = micros.sorted()
        let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[rank]) / 1000
    }

    static func clock(_ instant: Instant) -> String { ScenarioDecoder.shortTime(ISO8601.istSecondOfDay(of: instant)) }

    static func table(header: [String]?, rows: [[String]], escapeCells: Bool) -> String {
        var out = "<table>"
        if let header { out += "<tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>" }
        for row in rows {
            out += "<tr>" + row.enumerated().map { column, cell in
                let text = escapeCells ? HTML.escape(cell) : cell
                return header == nil && column == 0 ? "<th>\(text)</th>" : "<td>\(text)</td>"
            }.joined() + "</tr>"
        }
        return out + "</table>"
    }

    static func head(title: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title><style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c1b1f;margin:24px auto;max-width:1000px;padding:0 16px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .purpose{color:#444;margin:4px 0 10px}.verdict{font-weight:600}.ok{color:#2e7d32}.bad{color:#b3261e}
        table{border-collapse:collapse;margin:6px 0}th,td{text-align:left;padding:3px 12px 3px 0;vertical-align:top}
        tr+tr th,tr+tr td{border-top:1px solid #eee}th{font-weight:600;color:#333}code{font-size:12.5px}
        svg{display:block;width:100%;height:auto;margin:10px 0 4px}svg .title{font-size:13px;font-weight:600;fill:#1c1b1f}
        svg .legend,svg .axis,svg .note{font-size:11px;fill:#555}svg .grid{stroke:#e6e6e6}svg .frame{stroke:#bbb}
        p.note{color:#555;font-size:12.5px}footer{margin-top:32px;color:#666;font-size:12px}
        </style></head><body>
        """
    }
}
