import Foundation
import Platform

/// `opsim greeks` and `opsim iv`: Black-Scholes-Merton or Black-76 over CSV, for checking against other tools.
enum AnalyticsCommand {
    static let greeks = Commands.Command(
        name: "greeks", summary: "price and Greeks for CSV rows (kind,S,K,T,r,q,sigma)",
        help: """
            Usage: opsim greeks [--model bsm|black76] [--input FILE]

            Reads CSV rows kind,S,K,T,r,q,sigma from FILE or standard input and writes the same
            columns plus price,delta,gamma,vega,theta,rho to standard output, at full precision (%.17g).

              kind   C or P (CE/PE accepted)
              S      spot (bsm) or forward (black76); K strike
              T      years to expiry, ACT/365 (expiry at 15:30 IST)
              r, q   continuous annual rate and dividend yield per 1.00 (q is ignored by black76)
              sigma  annual volatility per 1.00

            Conventions: delta and gamma are with respect to S (or F); vega per 1.00 of volatility;
            theta = -dV/dT per year (divide by 365 for a calendar day); rho per 1.00 of rate (q fixed
            for bsm, F fixed for black76). A header row is optional; with one, columns are matched by
            name (T_years, F_or_S, strike, ... are accepted) and may come in any order.

            Options:
              --model M     bsm (default) or black76
              --input FILE  read FILE instead of standard input

            Exit status: 0 every row priced; 2 bad usage, or a malformed row (reported on standard
            error with its line number; the other rows are still written).
            """,
        run: { arguments throws(CLIError) in try run(arguments, command: "greeks") })

    static let iv = Commands.Command(
        name: "iv", summary: "implied volatility for CSV rows (kind,S,K,T,r,q,price)",
        help: """
            Usage: opsim iv [--model bsm|black76] [--input FILE]

            Reads CSV rows kind,S,K,T,r,q,price from FILE or standard input and writes the same
            columns plus sigma,status. The solver follows Jäckel's "Let's Be Rational" approach
            (normalised Black, rational-style initial guess, third-order Householder steps) and
            recovers sigma to the last digits the price determines.

            status is ok, or why no volatility exists (sigma is then empty, never NaN):
              below_intrinsic    the price is below the discounted intrinsic value
              above_upper_bound  the price reaches the discounted forward (call) or strike (put)
              no_time_value      the price equals the intrinsic value
              invalid_input      T is 0 (or an input is outside the model's domain)

            Columns and options are as for 'opsim greeks' (help greeks), with price in place of sigma.

            Exit status: 0 every row read; 2 bad usage, or a malformed row (reported on standard
            error with its line number; the other rows are still written).
            """,
        run: { arguments throws(CLIError) in try run(arguments, command: "iv") })

    static func run(_ arguments: [String], command: String) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valueOptions: ["--model", "--input"], flagOptions: [])
        guard parsed.positionals.isEmpty else {
            throw .usage(
                "\(command) takes no positional arguments; use --input FILE or standard input")
        }
        let modelName = parsed.value("--model") ?? "bsm"
        guard let model = PricingModel(rawValue: modelName.lowercased()) else {
            throw .usage("--model must be bsm or black76, got '\(modelName)'")
        }
        let input = try readInput(parsed.value("--input"))
        let outcome =
            command == "greeks"
            ? AnalyticsCSV.greeks(input, model: model)
            : AnalyticsCSV.impliedVolatility(input, model: model)
        let source = parsed.value("--input") ?? "<stdin>"
        for problem in outcome.problems {
            printError("opsim \(command): \(source): \(problem)")
        }
        if outcome.fatal { return 2 }
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        return outcome.problems.isEmpty ? 0 : 2
    }

    static func readInput(_ path: String?) throws(CLIError) -> String {
        let data: Data
        if let path {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw .input("cannot read input file \(path)")
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        return String(decoding: data, as: UTF8.self)
    }
}
