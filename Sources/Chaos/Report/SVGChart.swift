/// A small time-series chart drawn as inline SVG: stacked bars or lines over time buckets, with
/// shaded windows and markers, a y axis with round ticks and a legend. No script, no fonts to load.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        /// One value per bucket; nil leaves a gap (lines only).
        var values: [Double?]
    }

    static let width = 960.0
    let height: Double
    let left = 70.0, right = 14.0, top = 26.0, bottom = 24.0
    let title: String
    let unit: String
    let buckets: Int
    /// Seconds per bucket, and the first bucket's start as seconds of the day (for round time labels).
    let bucketSeconds: Int
    let startSecondOfDay: Int
    /// The label of bucket `i`'s start (e.g. `10:15`).
    let label: (Int) -> String
    private var overlays: [String] = []
    /// Overlay labels, drawn above the data, and where each label row is taken up to (so labels never overlap).
    private var labels: [String] = []
    private var labelRowEnds: [Double] = []
    private var legend: [(String, String)] = []

    init(title: String, unit: String, buckets: Int, bucketSeconds: Int, startSecondOfDay: Int = 0, height: Double = 170,
         label: @escaping (Int) -> String) {
        self.startSecondOfDay = startSecondOfDay
        self.title = title
        self.unit = unit
        self.buckets = max(1, buckets)
        self.bucketSeconds = max(1, bucketSeconds)
        self.height = height
        self.label = label
    }

    private var plotWidth: Double { SVGChart.width - left - right }
    private var plotHeight: Double { height - top - bottom }
    func x(_ bucket: Double) -> Double { left + bucket / Double(buckets) * plotWidth }

    /// Shades buckets `from..<to` (fractional) behind the data, labelled at the top.
    mutating func shade(from: Double, to: Double, label text: String, color: String) {
        let (a, b) = (x(max(0, from)), x(min(Double(buckets), to)))
        guard b > a else { return }
        overlays.append(#"<rect x="\#(f(a))" y="\#(f(top))" width="\#(f(b - a))" height="\#(f(plotHeight))" fill="\#(color)" opacity="0.18"><title>\#(HTML.escape(text))</title></rect>"#)
        let row = labelRowEnds.firstIndex { $0 < a } ?? labelRowEnds.count
        if row == labelRowEnds.count { labelRowEnds.append(0) }
        labelRowEnds[row] = a + 3 + Double(text.count) * 6.2
        labels.append(#"<text x="\#(f(a + 3))" y="\#(f(top + 11 + 12 * Double(row)))" class="note">\#(HTML.escape(text))</text>"#)
    }

    /// A dashed vertical marker at fractional bucket `at`.
    mutating func marker(at: Double, label text: String, color: String = "#b3261e") {
        guard at >= 0, at <= Double(buckets) else { return }
        let px = x(at)
        overlays.append(#"<line x1="\#(f(px))" x2="\#(f(px))" y1="\#(f(top))" y2="\#(f(top + plotHeight))" stroke="\#(color)" stroke-dasharray="4 3"><title>\#(HTML.escape(text))</title></line>"#)
        labels.append(#"<text x="\#(f(px + 3))" y="\#(f(top + plotHeight - 4))" class="note" fill="\#(color)">\#(HTML.escape(text))</text>"#)
    }

    /// Stacked bars, bottom series first.
    func bars(_ series: [Series]) -> String {
        let totals = (0..<buckets).map { i in series.reduce(0.0) { $0 + ($1.values.indices.contains(i) ? $1.values[i] ?? 0 : 0) } }
        let (low, high) = (0.0, SVGChart.niceCeiling(totals.max() ?? 0))
        var body = ""
        let barWidth = max(1, plotWidth / Double(buckets) - (buckets > 60 ? 0.5 : 2))
        for i in 0..<buckets {
            var base = 0.0
            for s in series {
                guard s.values.indices.contains(i), let value = s.values[i], value > 0 else { continue }
                let (y0, y1) = (y(base, low, high), y(base + value, low, high))
                body += #"<rect x="\#(f(x(Double(i))))" y="\#(f(y1))" width="\#(f(barWidth))" height="\#(f(max(0.5, y0 - y1)))" fill="\#(s.color)"><title>\#(label(i)) \#(HTML.escape(s.name)): \#(SVGChart.number(value))</title></rect>"#
                base += value
            }
        }
        // Counts: whole-number ticks where the ceiling allows (250 in five steps of 50, not four of 62.5).
        let steps = (high / 4).rounded() == high / 4 || (high / 5).rounded() != high / 5 ? 4 : 5
        return frame(body, low: low, high: high, series: series, steps: steps)
    }

    /// Lines through each series' values at bucket centres; `zeroBased` starts the y axis at 0.
    func lines(_ series: [Series], zeroBased: Bool = true) -> String {
        let values = series.flatMap { $0.values.compactMap { $0 } }
        var (low, high) = (zeroBased ? 0 : (values.min() ?? 0), values.max() ?? 1)
        if zeroBased {
            high = SVGChart.niceCeiling(high)
        } else {
            // Four equal round steps that cover the data.
            var step = SVGChart.niceCeiling(max(high - low, 1e-9) / 4)
            var floor = (low / step).rounded(.down) * step
            while floor + 4 * step < high {
                step = SVGChart.niceCeiling(step * 1.01)
                floor = (low / step).rounded(.down) * step
            }
            (low, high) = (floor, floor + 4 * step)
        }
        if high <= low { high = low + 1 }
        var body = ""
        for s in series {
            var path = ""
            var pen = false
            for i in 0..<min(buckets, s.values.count) {
                guard let value = s.values[i] else { pen = false; continue }
                path += "\(pen ? "L" : "M")\(f(x(Double(i) + 0.5))),\(f(y(value, low, high)))"
                pen = true
            }
            body += #"<path d="\#(path)" fill="none" stroke="\#(s.color)" stroke-width="1.6"><title>\#(HTML.escape(s.name))</title></path>"#
        }
        return frame(body, low: low, high: high, series: series)
    }

    private func y(_ value: Double, _ low: Double, _ high: Double) -> Double {
        top + plotHeight * (1 - (value - low) / (high - low))
    }

    private func frame(_ body: String, low: Double, high: Double, series: [Series], steps: Int = 4) -> String {
        var out = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(f(SVGChart.width)) \#(f(height))" role="img" aria-label="\#(HTML.escape(title))">"#
        out += #"<text x="\#(f(left))" y="14" class="title">\#(HTML.escape(title))</text>"#
        var legendX = SVGChart.width - right
        for s in series.reversed() {
            let text = HTML.escape(s.name)
            legendX -= Double(s.name.count) * 6.5 + 22
            out += #"<rect x="\#(f(legendX))" y="5" width="10" height="10" fill="\#(s.color)"/><text x="\#(f(legendX + 14))" y="14" class="legend">\#(text)</text>"#
        }
        for k in 0...steps {
            let value = low + (high - low) * Double(k) / Double(steps)
            let py = y(value, low, high)
            out += #"<line x1="\#(f(left))" x2="\#(f(SVGChart.width - right))" y1="\#(f(py))" y2="\#(f(py))" class="grid"/>"#
            out += #"<text x="\#(f(left - 6))" y="\#(f(py + 4))" class="axis" text-anchor="end">\#(SVGChart.number(value))\#(k == steps ? " " + HTML.escape(unit) : "")</text>"#
        }
        // Labels every round number of seconds (10 s … 1 h), about eight across.
        let spanSeconds = buckets * bucketSeconds
        let every = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].first { spanSeconds / $0 <= 8 } ?? 3600
        let step = max(1, every / bucketSeconds)
        let first = ((every - startSecondOfDay % every) % every) / bucketSeconds
        for i in stride(from: first, to: buckets, by: step) where x(Double(i)) < SVGChart.width - right - 40 {
            out += #"<text x="\#(f(x(Double(i))))" y="\#(f(height - 6))" class="axis" text-anchor="middle">\#(HTML.escape(label(i)))</text>"#
        }
        out += overlays.joined() + body + labels.joined()
        out += #"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(plotWidth))" height="\#(f(plotHeight))" fill="none" class="frame"/></svg>"#
        return out
    }

    /// 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (1 for 0).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        return [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= value } ?? value
    }

    /// A short number: integers without decimals, others with up to two.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String((value * 100).rounded() / 100)
    }

    private func f(_ value: Double) -> String { String((value * 10).rounded() / 10) }
}

/// HTML text escaping.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
