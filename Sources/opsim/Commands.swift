/// The table of subcommands and the dispatcher over it.
enum Commands {
    static let version = "0.1.0"

    /// A subcommand: its name, one-line summary, full help, and what it does.
    struct Command: Sendable {
        var name: String
        var summary: String
        var help: String
        var run: @Sendable ([String]) throws(CLIError) -> Int32
    }

    static let all: [Command] = [
        RunCommand.command, ValidateCommand.command, SweepCommand.command, ChainCommand.command,
        AnalyticsCommand.greeks, AnalyticsCommand.iv,
        CollectCommand.command, ServeCommand.command,
    ]

    static func dispatch(_ arguments: [String]) throws(CLIError) -> Int32 {
        guard let first = arguments.first else { return try RunCommand.command.run([]) }
        switch first {
        case "--help", "-h":
            print(overview)
            return 0
        case "--version":
            print("opsim \(version)")
            return 0
        case "help":
            guard arguments.count > 1 else {
                print(overview)
                return 0
            }
            guard let command = all.first(where: { $0.name == arguments[1] }) else {
                throw .usage("no command named '\(arguments[1])'")
            }
            print(command.help)
            return 0
        default:
            guard let command = all.first(where: { $0.name == first }) else {
                if first.hasPrefix("-") {
                    // Options with no command apply to the default command, `run`.
                    return try RunCommand.command.run(arguments)
                }
                throw .usage("no command named '\(first)'")
            }
            let rest = Array(arguments.dropFirst())
            if rest.contains("--help") || rest.contains("-h") {
                print(command.help)
                return 0
            }
            return try command.run(rest)
        }
    }

    static var overview: String {
        let width = all.map(\.name.count).max() ?? 0
        let lines = all.map { "  \($0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\($0.summary)" }
        return """
            opsim \(version): a deterministic simulator for an index-options data platform.

            Usage: opsim [COMMAND] [OPTIONS]
                   opsim                 run the built-in default scenario (same as 'opsim run')

            Commands:
            \(lines.joined(separator: "\n"))
              help COMMAND      show a command's options

            Exit status: 0 ok, 1 a run found a violated invariant, 2 bad usage or bad input.
            """
    }
}
