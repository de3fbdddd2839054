/// An error the command line reports: a message for stderr and the exit status to end with.
struct CLIError: Error {
    var message: String
    var exitStatus: Int32

    /// Bad usage or bad input: exit status 2.
    static func usage(_ message: String) -> CLIError {
        CLIError(message: message + "\nRun 'opsim --help' for usage.", exitStatus: 2)
    }

    /// Bad input such as an invalid scenario file: exit status 2, no usage hint.
    static func input(_ message: String) -> CLIError {
        CLIError(message: message, exitStatus: 2)
    }
}
