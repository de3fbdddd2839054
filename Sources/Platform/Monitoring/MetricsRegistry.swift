/// Counters, gauges and histograms, rendered in the Prometheus text exposition format (0.0.4).
///
/// A value type owned by whoever drives the components (the world in simulation, the live loop
/// otherwise). Metrics are declared once with their help text and label names; samples are kept
/// in sorted order, so the exposition is byte-identical for identical values whatever the order
/// of updates.
///
/// ```swift
/// var metrics = MetricsRegistry()
/// metrics.declare(.counter("opsim_broker_requests_total", help: "Requests sent to the broker.", labels: ["route"]))
/// metrics.increment("opsim_broker_requests_total", labels: ["/quote"])
/// let text = metrics.prometheusText()
/// ```
public struct MetricsRegistry: Sendable {
    private var descriptors: [String: MetricDescriptor] = [:]
    private var series: [String: [SeriesKey: SeriesValue]] = [:]

    struct SeriesKey: Hashable, Comparable, Sendable {
        var labelValues: [String]
        static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
            lhs.labelValues.lexicographicallyPrecedes(rhs.labelValues)
        }
    }

    enum SeriesValue: Sendable {
        case scalar(Double)
        /// Per-bucket counts (not cumulative), then sum and count.
        case histogram(buckets: [UInt64], sum: Double, count: UInt64)
    }

    public init() {}

    /// Declares a metric; declaring the same name twice with a different shape is a programmer error.
    public mutating func declare(_ descriptor: MetricDescriptor) {
        if let existing = descriptors[descriptor.name] {
            precondition(existing == descriptor, "metric \(descriptor.name) declared twice with different shapes")
            return
        }
        precondition(MetricDescriptor.isValidName(descriptor.name), "invalid metric name \(descriptor.name)")
        descriptors[descriptor.name] = descriptor
        series[descriptor.name] = [:]
    }

    private func check(_ name: String, _ labels: [String], _ kind: MetricDescriptor.Kind) -> MetricDescriptor {
        guard let descriptor = descriptors[name] else { preconditionFailure("metric \(name) used before declare") }
        precondition(descriptor.kind.sameKind(as: kind), "metric \(name) is a \(descriptor.kind.typeName), used as \(kind.typeName)")
        precondition(labels.count == descriptor.labelNames.count,
                     "metric \(name) takes labels \(descriptor.labelNames), got \(labels.count) values")
        return descriptor
    }

    /// Adds `amount` (≥ 0) to a counter.
    public mutating func increment(_ name: String, labels: [String] = [], by amount: Double = 1) {
        _ = check(name, labels, .counter)
        precondition(amount >= 0, "counter \(name) cannot decrease (amount \(amount))")
        let key = SeriesKey(labelValues: labels)
        if case .scalar(let value) = series[name]![key] ?? .scalar(0) {
            series[name]![key] = .scalar(value + amount)
        }
    }

    /// Sets a gauge.
    public mutating func set(_ name: String, labels: [String] = [], to value: Double) {
        _ = check(name, labels, .gauge)
        series[name]![SeriesKey(labelValues: labels)] = .scalar(value)
    }

    /// Records one observation in a histogram.
    public mutating func observe(_ name: String, labels: [String] = [], _ value: Double) {
        let descriptor = check(name, labels, .histogram(buckets: []))
        guard case .histogram(let bounds) = descriptor.kind else { return }
        let key = SeriesKey(labelValues: labels)
        var (buckets, sum, count): ([UInt64], Double, UInt64) = ([UInt64](repeating: 0, count: bounds.count), 0, 0)
        if case .histogram(let b, let s, let c) = series[name]![key] { (buckets, sum, count) = (b, s, c) }
        if let slot = bounds.firstIndex(where: { value <= $0 }) { buckets[slot] += 1 }
        series[name]![key] = .histogram(buckets: buckets, sum: sum + value, count: count + 1)
    }

    /// A counter's or gauge's current value (0 if never set).
    public func value(_ name: String, labels: [String] = []) -> Double {
        if case .scalar(let value) = series[name]?[SeriesKey(labelValues: labels)] { return value }
        return 0
    }

    /// The exposition text: metrics sorted by name, series by label values.
    public func prometheusText() -> String {
        var out = ""
        for name in descriptors.keys.sorted() {
            let descriptor = descriptors[name]!
            out += "# HELP \(name) \(PrometheusText.escapeHelp(descriptor.help))\n"
            out += "# TYPE \(name) \(descriptor.kind.typeName)\n"
            for (key, value) in series[name]!.sorted(by: { $0.key < $1.key }) {
                let labels = Array(zip(descriptor.labelNames, key.labelValues))
                switch value {
                case .scalar(let number):
                    out += PrometheusText.sample(name, labels, number)
                case .histogram(let buckets, let sum, let count):
                    guard case .histogram(let bounds) = descriptor.kind else { continue }
                    var cumulative: UInt64 = 0
                    for (bound, bucket) in zip(bounds, buckets) {
                        cumulative += bucket
                        out += PrometheusText.sample(name + "_bucket", labels + [("le", PrometheusText.number(bound))], Double(cumulative))
                    }
                    out += PrometheusText.sample(name + "_bucket", labels + [("le", "+Inf")], Double(count))
                    out += PrometheusText.sample(name + "_sum", labels, sum)
                    out += PrometheusText.sample(name + "_count", labels, Double(count))
                }
            }
        }
        return out
    }
}
