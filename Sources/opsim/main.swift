import Foundation

// opsim's entry point: parse the command line, run one command, map its outcome to an exit status.
// Exit statuses: 0 ok, 1 the run found a violated invariant, 2 bad usage or bad input.

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    let status = try Commands.dispatch(arguments)
    exit(status)
} catch {
    FileHandle.standardError.write(Data(("opsim: " + error.message + "\n").utf8))
    exit(error.exitStatus)
}
