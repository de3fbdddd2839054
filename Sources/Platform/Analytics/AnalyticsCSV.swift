#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CSV contract of `opsim greeks` and `opsim iv`, as pure text-in, text-out functions.
///
/// Input: an optional header row, then one option per row. With a header, columns are found by
/// name (`kind`, `S` or `F`/`F_or_S`/`spot`/`forward`, `K`/`strike`, `T`/`T_years`/`years`, `r`/`rate`,
/// `q`/`dividend_yield`, `sigma`/`vol`, `price`), so other tools' files can be fed as they are; without
/// one, columns are positional: `kind,S,K,T,r,q,sigma` (greeks) or `kind,S,K,T,r,q,price` (iv).
/// Output: the input columns echoed verbatim, then the results with `%.17g` (full double precision).
/// A malformed row is reported as `line N: reason` and skipped; the other rows are still processed.
public enum AnalyticsCSV {
    /// The text to write to stdout and the per-line problems to write to stderr.
    public struct Outcome: Sendable {
        public var output: String
        public var problems: [String]
        /// True when the whole input was unusable (for example a header lacking a required column).
        public var fatal: Bool
    }

    static let aliases: [String: [String]] = [
        "kind": ["kind", "type", "option_type", "cp", "right"],
        "S": ["s", "spot", "f", "forward", "f_or_s", "underlying"],
        "K": ["k", "strike"],
        "T": ["t", "t_years", "years", "tte", "time"],
        "r": ["r", "rate"],
        "q": ["q", "dividend_yield", "dividend", "div", "carry"],
        "sigma": ["sigma", "vol", "volatility", "iv"],
        "price": ["price", "premium", "value"],
    ]

    /// `kind,S,K,T,r,q,sigma` → the same plus `price,delta,gamma,vega,theta,rho`.
    public static func greeks(_ input: String, model: PricingModel) -> Outcome {
        process(input, last: "sigma", results: ["price", "delta", "gamma", "vega", "theta", "rho"])
        { rows in
            let batch = Self.batch(rows)
            var columns = GreeksColumns(count: rows.count)
            BatchPricing.greeks(
                model, batch, volatilities: rows.map { $0.values[5] }, into: &columns)
            return (0..<rows.count).map { (i: Int) -> String in
                let values: [Double] = [
                    columns.price[i], columns.delta[i], columns.gamma[i], columns.vega[i],
                    columns.theta[i], columns.rho[i],
                ]
                return values.map(format).joined(separator: ",")
            }
        }
    }

    /// `kind,S,K,T,r,q,price` → the same plus `sigma,status` (`sigma` empty unless `status` is `ok`).
    public static func impliedVolatility(_ input: String, model: PricingModel) -> Outcome {
        process(input, last: "price", results: ["sigma", "status"]) { rows in
            let batch = Self.batch(rows)
            var results: [ImpliedVolatilityResult] = []
            BatchPricing.impliedVolatilities(
                model, batch, prices: rows.map { $0.values[5] }, into: &results)
            return results.map { ($0.volatility.map(format) ?? "") + "," + $0.code }
        }
    }

    /// The rows' S, K, T, r, q as one batch.
    static func batch(_ rows: [Row]) -> OptionBatch {
        var batch = OptionBatch()
        batch.reserveCapacity(rows.count)
        for row in rows {
            batch.append(
                row.kind, underlying: row.values[0], strike: row.values[1], years: row.values[2],
                rate: row.values[3], dividendYield: row.values[4])
        }
        return batch
    }

    /// One parsed row: its kind, S, K, T, r, q and the last input (σ or price), plus the echoed text.
    struct Row {
        var kind: OptionKind
        var values: [Double]
        var echo: String
    }

    static func process(
        _ input: String, last: String, results: [String], compute: ([Row]) -> [String]
    ) -> Outcome {
        let names = ["kind", "S", "K", "T", "r", "q", last]
        var problems: [String] = []
        var rows: [Row] = []
        var columns = Array(0..<names.count)
        var sawFirst = false
        let input = input.hasPrefix("\u{FEFF}") ? String(input.dropFirst()) : input
        // "\r\n" is one Character in Swift, so lines are split on any newline character.
        for (offset, line) in input.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces() }
            if !sawFirst {
                sawFirst = true
                if OptionKind(code: fields[0]) == nil && fields[0].contains(where: \.isLetter) {
                    switch headerColumns(fields, names: names) {
                    case .success(let found): columns = found
                    case .failure(let message):
                        return Outcome(
                            output: "", problems: ["line \(offset + 1): \(message.text)"],
                            fatal: true)
                    }
                    continue
                }
            }
            switch parse(fields, columns: columns, names: names) {
            case .success(let row): rows.append(row)
            case .failure(let message): problems.append("line \(offset + 1): \(message.text)")
            }
        }
        let computed = compute(rows)
        var output = (names + results).joined(separator: ",") + "\n"
        output.reserveCapacity(rows.count * 160)
        for (row, result) in zip(rows, computed) {
            output += row.echo + "," + result + "\n"
        }
        return Outcome(output: output, problems: problems, fatal: false)
    }

    struct Message: Error {
        var text: String
    }

    static func headerColumns(_ fields: [String], names: [String]) -> Result<[Int], Message> {
        let lowered = fields.map { $0.lowercased() }
        var found: [Int] = []
        for name in names {
            let accepted = aliases[name] ?? [name.lowercased()]
            guard let index = lowered.firstIndex(where: accepted.contains) else {
                return .failure(
                    Message(
                        text:
                            "the header has no '\(name)' column (accepted names: \(accepted.joined(separator: ", ")))"
                    ))
            }
            found.append(index)
        }
        return .success(found)
    }

    static func parse(_ fields: [String], columns: [Int], names: [String]) -> Result<Row, Message> {
        guard let widest = columns.max(), fields.count > widest else {
            return .failure(
                Message(
                    text: "expected at least \(columns.max()! + 1) fields, found \(fields.count)"))
        }
        guard let kind = OptionKind(code: fields[columns[0]]) else {
            return .failure(Message(text: "kind must be C or P, found '\(fields[columns[0]])'"))
        }
        var values: [Double] = []
        for (position, column) in columns.enumerated().dropFirst() {
            guard let value = Double(fields[column]), value.isFinite else {
                return .failure(
                    Message(text: "\(names[position]) is not a finite number: '\(fields[column])'"))
            }
            values.append(value)
        }
        if values[0] <= 0 {
            return .failure(Message(text: "S must be > 0, found \(fields[columns[1]])"))
        }
        if values[1] <= 0 {
            return .failure(Message(text: "K must be > 0, found \(fields[columns[2]])"))
        }
        if values[2] < 0 {
            return .failure(Message(text: "T must be ≥ 0 (years), found \(fields[columns[3]])"))
        }
        if names[6] == "sigma" && values[5] < 0 {
            return .failure(Message(text: "sigma must be ≥ 0, found \(fields[columns[6]])"))
        }
        let echo = columns.map { fields[$0] }.joined(separator: ",")
        return .success(Row(kind: kind, values: values, echo: echo))
    }

    /// `%.17g`: enough digits that the text reads back as the same double.
    public static func format(_ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buffer in
            _ = withVaList([value]) { vsnprintf(buffer.baseAddress!, 40, "%.17g", $0) }
            return String(cString: buffer.baseAddress!)
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
