/// What a metric is: its name, help text, type and label names.
public struct MetricDescriptor: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case counter
        case gauge
        /// Upper bounds of the buckets, strictly increasing; `+Inf` is implicit.
        case histogram(buckets: [Double])

        var typeName: String {
            switch self {
            case .counter: return "counter"
            case .gauge: return "gauge"
            case .histogram: return "histogram"
            }
        }

        func sameKind(as other: Kind) -> Bool { typeName == other.typeName }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var labelNames: [String]

    public static func counter(_ name: String, help: String, labels: [String] = []) -> MetricDescriptor {
        precondition(name.hasSuffix("_total"), "counter \(name) should end in _total (Prometheus convention)")
        return MetricDescriptor(name: name, help: help, kind: .counter, labelNames: labels)
    }

    public static func gauge(_ name: String, help: String, labels: [String] = []) -> MetricDescriptor {
        MetricDescriptor(name: name, help: help, kind: .gauge, labelNames: labels)
    }

    public static func histogram(_ name: String, help: String, buckets: [Double], labels: [String] = []) -> MetricDescriptor {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 },
                     "histogram \(name) buckets must be non-empty and strictly increasing")
        precondition(!labels.contains("le"), "histogram \(name) cannot use the reserved label 'le'")
        return MetricDescriptor(name: name, help: help, kind: .histogram(buckets: buckets), labelNames: labels)
    }

    /// Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func letter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x3A }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}

/// Formatting rules of the Prometheus text format.
enum PrometheusText {
    static func escapeHelp(_ text: String) -> String { escape(text, quotes: false) }

    static func escapeLabel(_ text: String) -> String { escape(text, quotes: true) }

    /// Backslash and newline are escaped in help text; label values also escape double quotes.
    static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {  // scalars, so "\r\n" does not hide its "\n"
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Integers print without a fraction; infinities as `+Inf`/`-Inf`; NaN as `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        guard !labels.isEmpty else { return "\(name) \(number(value))\n" }
        let rendered = labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
        return "\(name){\(rendered)} \(number(value))\n"
    }
}
