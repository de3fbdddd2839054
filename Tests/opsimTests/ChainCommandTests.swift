import Foundation
import Testing

/// End-to-end tests of `opsim chain`: run the binary from a directory outside the repository and
/// check its text with an independent format and no-arbitrage checker.
@Suite struct ChainCommandTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func opsim(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = FileManager.default.temporaryDirectory  // fixtures must be embedded
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let header = "tradingsymbol,instrument_token,expiry,strike,type,bid,ask,ltp,volume,oi,underlying,future,true_iv"

    /// A price column in paise, requiring exactly two decimals.
    static func paise(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let whole = Int64(parts[0]), let cents = Int64(parts[1]) else { return nil }
        return whole * 100 + cents
    }

    struct Row {
        var symbol: String
        var expiry: String
        var strike: Int64
        var type: String
        var bid: Int64
        var ask: Int64
        var ltp: Int64
        var volume: Int64
        var oi: Int64
        var future: Int64
    }

    /// Parses and checks the CSV format; returns the rows.
    static func parse(_ csv: String) -> [Row] {
        let lines = csv.split(separator: "\n")
        #expect(lines.first.map(String.init) == header)
        var rows: [Row] = []
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 13, "\(line)")
            guard f.count == 13, let strike = paise(f[3]), let bid = paise(f[5]), let ask = paise(f[6]),
                let ltp = paise(f[7]), let volume = Int64(f[8]), let oi = Int64(f[9]), paise(f[10]) != nil,
                let future = paise(f[11]), let iv = Double(f[12])
            else {
                Issue.record("malformed row: \(line)")
                continue
            }
            #expect(Int64(f[1]) != nil && f[2].count == 10 && (f[4] == "CE" || f[4] == "PE"), "\(line)")
            #expect(bid % 5 == 0 && ask % 5 == 0 && ltp % 5 == 0 && future % 5 == 0, "off the 0.05 tick: \(line)")
            #expect(bid >= 0 && ask > 0 && ask - bid >= 5, "\(line)")
            #expect(volume >= 0 && oi >= 0 && iv > 0 && iv < 3, "\(line)")
            #expect(f[0].hasSuffix(f[4]))
            rows.append(Row(symbol: String(f[0]), expiry: String(f[2]), strike: strike, type: String(f[4]), bid: bid,
                            ask: ask, ltp: ltp, volume: volume, oi: oi, future: future))
        }
        return rows
    }

    /// Mids monotone in strike, and butterflies of mids ≥ −1 tick, per expiry and type.
    static func checkNoArbitrage(_ rows: [Row], label: String) {
        let expiries = Array(Set(rows.map(\.expiry))).sorted()
        for expiry in expiries {
            for type in ["CE", "PE"] {
                let side = rows.filter { $0.expiry == expiry && $0.type == type }.sorted { $0.strike < $1.strike }
                let mids = side.map { $0.bid + $0.ask }  // doubled mids, paise
                for i in 1..<mids.count {
                    if type == "CE" { #expect(mids[i] <= mids[i - 1], "\(label) \(side[i].symbol)") }
                    else { #expect(mids[i] >= mids[i - 1], "\(label) \(side[i].symbol)") }
                }
                for i in 1..<(mids.count - 1) {
                    #expect(mids[i - 1] - 2 * mids[i] + mids[i + 1] >= -10, "\(label) butterfly at \(side[i].symbol)")
                }
            }
        }
    }

    @Test("the chain CSV has the documented columns, ticks and no-arbitrage shape for several seeds and instants")
    func chainChecks() throws {
        let cases: [(String, String)] = [
            ("1", "2026-11-20T09:30:00+05:30"), ("7", "2025-09-02T14:45:10+05:30"), ("99", "2024-11-06T12:00:00+05:30"),
            ("123456789", "2026-03-02T09:15:00+05:30"),
        ]
        let indices = ["NIFTY", "BANKNIFTY", "SENSEX", "MIDCPNIFTY"]
        for (i, (seed, at)) in cases.enumerated() {
            let result = try opsim(["chain", "--index", indices[i], "--at", at, "--seed", seed])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty)
            let rows = Self.parse(result.stdout)
            #expect(rows.count > 100)
            Self.checkNoArbitrage(rows, label: "\(indices[i]) seed \(seed) \(at)")
        }
    }

    @Test("the same arguments print the same chain; another seed prints another one")
    func deterministic() throws {
        let arguments = ["chain", "--index", "FINNIFTY", "--at", "2026-02-10T10:00:00+05:30", "--expiry", "2026-02-24"]
        let first = try opsim(arguments)
        let second = try opsim(arguments)
        let other = try opsim(arguments + ["--seed", "2"])
        #expect(first.status == 0 && !first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
        #expect(Self.parse(first.stdout).allSatisfy { $0.expiry == "2026-02-24" && $0.symbol.hasPrefix("FINNIFTY26FEB") })
    }

    @Test("--scenario serves the scenario's market: market-shock's chain at 10:02:01 has NIFTY 4% below the same seed's plain market; a halted instant shows the last traded second and says so")
    func scenarioMarket() throws {
        let file = CLITests.repositoryRoot.appendingPathComponent("Scenarios/market-shock.json").path
        let base = ["chain", "--index", "NIFTY", "--at", "2026-11-25T10:02:01+05:30", "--expiry", "2026-12-01"]
        let shocked = try opsim(base + ["--scenario", file])
        let plain = try opsim(base + ["--seed", "4242"])
        #expect(shocked.status == 0 && plain.status == 0)
        func underlying(_ text: String) -> Double? {
            text.split(separator: "\n").dropFirst().first.flatMap { Double($0.split(separator: ",")[10]) }
        }
        let ratio = try #require(underlying(shocked.stdout)) / (try #require(underlying(plain.stdout)))
        #expect(abs(ratio - 0.96) < 0.01, "underlying ratio \(ratio)")
        let breaker = CLITests.repositoryRoot.appendingPathComponent("Scenarios/circuit-breaker.json").path
        let halted = try opsim(["chain", "--index", "NIFTY", "--at", "2026-11-25T13:45:00+05:30", "--scenario", breaker])
        let lastTraded = try opsim(["chain", "--index", "NIFTY", "--at", "2026-11-25T13:30:01+05:30", "--scenario", breaker])
        #expect(halted.status == 0 && halted.stdout == lastTraded.stdout)
        #expect(halted.stderr.contains("trading is halted") && halted.stderr.contains("until 14:00:02"), "\(halted.stderr)")
        let missing = try opsim(base + ["--scenario", "/nonexistent/scenario.json"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
    }

    @Test("JSON output carries the same rows and satisfies put–call parity with its discount factor")
    func json() throws {
        let result = try opsim(["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "--format", "json",
                                "--expiry", "2026-12-01"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let expiries = object["expiries"] as? [[String: Any]] ?? []
        #expect(expiries.count == 1)
        let expiry = expiries.first ?? [:]
        let discount = expiry["discount"] as? Double ?? 0
        let future = expiry["future"] as? Double ?? 0
        let rows = expiry["rows"] as? [[String: Any]] ?? []
        #expect(rows.count > 80)
        for pair in stride(from: 0, to: rows.count - 1, by: 2) {
            let call = rows[pair]
            let put = rows[pair + 1]
            #expect(call["type"] as? String == "CE" && put["type"] as? String == "PE")
            let strike = call["strike"] as? Double ?? 0
            func mid(_ row: [String: Any]) -> Double { ((row["bid"] as? Double ?? 0) + (row["ask"] as? Double ?? 0)) / 2 }
            func half(_ row: [String: Any]) -> Double { ((row["ask"] as? Double ?? 0) - (row["bid"] as? Double ?? 0)) / 2 }
            let gap = abs(mid(call) - mid(put) - discount * (future - strike))
            #expect(gap <= half(call) + half(put) + 0.05 + 1e-9, "\(call["tradingsymbol"] ?? "") gap \(gap)")
        }
    }

    @Test("--list-expiries names each listed expiry's bucket; on a holiday it says so and uses the last session")
    func listExpiries() throws {
        let result = try opsim(["chain", "--list-expiries", "--index", "NIFTY", "--at", "2026-11-24T10:00:00+05:30"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("expiry,bucket,kind\n2026-11-23,current_week+current_month,monthly\n2026-12-01,next_week,weekly\n"))
        #expect(result.stderr.contains("2026-11-24 is not a trading day"))
        #expect(result.stderr.contains("2026-11-23"))
    }

    @Test("an instant outside the session prints the last session's closing chain and says so on stderr")
    func outsideSession() throws {
        let evening = try opsim(["chain", "--index", "SENSEX", "--at", "2026-11-19T20:00:00+05:30", "--expiry", "2026-11-26"])
        let close = try opsim(["chain", "--index", "SENSEX", "--at", "2026-11-19T15:30:00+05:30", "--expiry", "2026-11-26"])
        #expect(evening.status == 0 && close.status == 0)
        #expect(evening.stderr.contains("outside the 09:15–15:30 IST session"))
        #expect(evening.stdout == close.stdout)
    }

    @Test("bad chain arguments exit 2 with a message, never a crash", arguments: [
        ["chain"], ["chain", "--index", "NIFTY"], ["chain", "--index", "NOPE", "--at", "2026-11-20T10:00:00+05:30"],
        ["chain", "--index", "NIFTY", "--at", "tomorrow"], ["chain", "--index", "NIFTY", "--at", "2019-01-01T10:00:00Z"],
        ["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "--format", "xml"],
        ["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "--expiry", "2026-11-25"],
        ["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "--expiry", "soon"],
        ["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "--seed", "-1"],
        ["chain", "--index", "NIFTY", "--at", "2026-11-20T10:00:00+05:30", "extra"],
    ])
    func badArguments(arguments: [String]) throws {
        let result = try opsim(arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(result.stderr.hasPrefix("opsim: "))
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stdout.isEmpty)
    }
}
