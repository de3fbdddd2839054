import Foundation
import Testing

/// End-to-end tests of `opsim greeks` and `opsim iv` through the built binary.
@Suite struct AnalyticsCommandTests {
    func opsim(_ arguments: [String], stdin: String = "") throws -> CLITests.Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.repositoryRoot
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("opsim greeks reproduces every golden price and Greek from fixtures/golden/bs_public.csv")
    func greeksGolden() throws {
        let result = try opsim(["greeks", "--input", "fixtures/golden/bs_public.csv"])
        #expect(result.status == 0)
        let golden = try String(
            contentsOf: CLITests.repositoryRoot.appendingPathComponent(
                "fixtures/golden/bs_public.csv"), encoding: .utf8)
        let expected = golden.split(separator: "\n").dropFirst()
        let produced = result.stdout.split(separator: "\n").dropFirst()
        #expect(expected.count == produced.count)
        for (reference, line) in zip(expected, produced) {
            let want = reference.split(separator: ",").dropFirst(7).compactMap { Double($0) }
            let got = line.split(separator: ",").dropFirst(7).compactMap { Double($0) }
            for (a, b) in zip(got, want) {
                #expect(abs(a - b) <= max(1e-10 * abs(b), 1e-12 * 500), "\(line)")
            }
        }
    }

    @Test("opsim iv recovers every golden implied volatility from fixtures/golden/iv_public.csv")
    func ivGolden() throws {
        let result = try opsim(["iv", "--model", "bsm", "--input", "fixtures/golden/iv_public.csv"])
        #expect(result.status == 0)
        let golden = try String(
            contentsOf: CLITests.repositoryRoot.appendingPathComponent(
                "fixtures/golden/iv_public.csv"), encoding: .utf8)
        let truth = golden.split(separator: "\n").dropFirst().map {
            Double($0.split(separator: ",")[7])!
        }
        let lines = result.stdout.split(separator: "\n").dropFirst()
        #expect(lines.count == truth.count)
        for (line, sigma) in zip(lines, truth) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.last == "ok")
            #expect(abs((Double(fields[7]) ?? 0) - sigma) <= 1e-8, "\(line)")
        }
    }

    @Test("stdin input, black76, typed statuses, and a malformed row reported by line with exit 2")
    func stdinAndErrors() throws {
        let input = "C,100,100,0.25,0.07,0,3.5\nP,100,100,0.25,0.07,0,-1\nC,100,x,0.25,0.07,0,1\n"
        let result = try opsim(["iv", "--model", "black76"], stdin: input)
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 3: K is not a finite number: 'x'"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasSuffix(",ok"))
        #expect(lines[2].hasSuffix(",,below_intrinsic"))
        #expect(!result.stdout.lowercased().contains("nan"))
    }

    @Test(
        "bad usage exits 2 without a stack trace",
        arguments: [
            ["greeks", "--model", "heston"], ["iv", "--input", "/nonexistent.csv"],
            ["greeks", "extra"],
        ])
    func badUsage(arguments: [String]) throws {
        let result = try opsim(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!result.stderr.isEmpty)
    }
}
