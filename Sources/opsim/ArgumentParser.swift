/// A small command-line argument reader: positionals, `--flag`, `--option VALUE`, `--option=VALUE`.
///
/// Each command declares which options take values; anything else starting with `--` is an error,
/// so a mistyped option never passes silently as a positional.
struct ParsedArguments {
    var positionals: [String] = []
    private var values: [(name: String, value: String)] = []
    private var flags: [String] = []

    init(_ arguments: [String], valueOptions: Set<String>, flagOptions: Set<String>) throws(CLIError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positionals.append(contentsOf: arguments[index...])
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                positionals.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if valueOptions.contains(name) {
                if let inlineValue {
                    values.append((name, inlineValue))
                } else {
                    guard index < arguments.count else { throw .usage("option \(name) needs a value") }
                    values.append((name, arguments[index]))
                    index += 1
                }
            } else if flagOptions.contains(name), inlineValue == nil {
                flags.append(name)
            } else {
                let known = (valueOptions.union(flagOptions)).sorted().joined(separator: ", ")
                throw .usage("unknown option '\(name)'" + (known.isEmpty ? "" : " (this command takes: \(known))"))
            }
        }
    }

    /// Every value given for `name`, in order.
    func values(_ name: String) -> [String] { values.filter { $0.name == name }.map(\.value) }

    /// The last value given for `name`, if any.
    func value(_ name: String) -> String? { values.last { $0.name == name }?.value }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The value of `name` as an unsigned 64-bit integer (decimal or 0x-hex).
    func uint64(_ name: String) throws(CLIError) -> UInt64? {
        guard let text = value(name) else { return nil }
        let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let parsed else {
            throw .usage("\(name) expects a non-negative integer below 2^64, got '\(text)'")
        }
        return parsed
    }
}
