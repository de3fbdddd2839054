import Chaos

/// `opsim validate FILE...`: check scenario files without running them.
enum ValidateCommand {
    static let command = Commands.Command(
        name: "validate", summary: "check scenario files and report every problem",
        help: """
            Usage: opsim validate FILE...

            Decodes and validates each scenario file. Prints "FILE: ok" for a valid file, or one line
            naming the file, the key path and what was expected. Exit status 2 if any file is invalid.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(arguments, valueOptions: [], flagOptions: [])
        guard !parsed.positionals.isEmpty else { throw .usage("validate needs at least one scenario file") }
        var failures = 0
        for path in parsed.positionals {
            do {
                let scenario = try ScenarioDecoder.load(path: path)
                print("\(path): ok (\(scenario.name), seed \(scenario.seed))")
            } catch {
                failures += 1
                printError(error.description)
            }
        }
        return failures == 0 ? 0 : 2
    }
}
