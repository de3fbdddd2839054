import Foundation
import Platform

/// `opsim collect`: the platform's collector live, over HTTP, against a Kite-compatible broker.
enum CollectCommand {
    static let command = Commands.Command(
        name: "collect", summary: "collect option chains live from a broker into CSV files",
        help: """
            Usage: opsim collect --broker-url URL --api-key KEY (--access-token TOKEN | --api-secret SECRET)
                                 --out DIR [--indices NIFTY,BANKNIFTY] [--interval 1s] [--strikes N]
                                 [--rate R] [--sync-every N] [--clock-offset SECONDS] [--status-every 5s]
                                 [--source rest|ticker] [--seed N] [--verbose]

            Runs the collector against a Kite Connect v3 broker at URL (http://HOST:PORT; opsim serve or
            the real one behind a TLS proxy) and stores every snapshot in DIR/YYYY-MM-DD/INDEX.csv. At
            start it locks DIR (a second collector on DIR fails at once) and recovers its files, printing
            what it cut. A status line follows every few seconds. SIGTERM or SIGINT finishes the open
            poll cycle, fsyncs every file and exits 0; kill -9 loses at most the unsynced tail, which the
            next start cuts.

            Login: --access-token uses a token from the broker's login flow (when the broker rejects it,
            collect stops with exit 2); --api-secret logs in by itself by following /connect/login, which
            only opsim's broker answers without a browser.

            Options:
              --broker-url URL      broker address, http://HOST:PORT (IPv4 or localhost) (required)
              --api-key KEY         API key (required)
              --access-token TOKEN  session access token (this or --api-secret)
              --api-secret SECRET   API secret, to log in to opsim's broker automatically
              --out DIR             data directory (required; created if missing)
              --indices LIST        comma-separated: NIFTY, BANKNIFTY, FINNIFTY, MIDCPNIFTY, SENSEX (default NIFTY)
              --interval D          snapshot cadence, e.g. 1s, 500ms, 2s (default 1s; at least 100ms)
              --strikes N           strikes each side of ATM (default 20)
              --rate R              the broker's quote calls per second (default 1, Kite's limit)
              --sync-every N        fsync after every N snapshots per file (default 1)
              --clock-offset S      run the collector's clock S seconds (may be negative or fractional)
                                    off the system clock, to follow a broker on a simulated session
              --status-every D      status line cadence (default 5s; 0 for none)
              --source S            where option quotes come from: rest (default) polls /quote; ticker
                                    streams them over the broker's WebSocket (ws://HOST:PORT/ws, full
                                    mode, up to 3 connections of 3,000 tokens) and polls over REST only
                                    the spot, futures and whatever a dropped connection leaves
              --seed N              retry-jitter seed (default: from the clock, printed)
              --verbose             print every collector log line

            Exit status: 0 stopped by a signal, 2 bad usage, a locked or corrupt DIR, or a rejected login.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments,
            valueOptions: ["--broker-url", "--api-key", "--access-token", "--api-secret", "--out", "--indices", "--interval",
                           "--strikes", "--rate", "--sync-every", "--clock-offset", "--status-every", "--seed", "--source"],
            flagOptions: ["--verbose"])
        guard parsed.positionals.isEmpty else {
            throw .usage("collect takes no positional arguments, got '\(parsed.positionals[0])'")
        }
        let options = try liveOptions(parsed)
        let url: BrokerURL
        do { url = try BrokerURL(parsing: parsed.value("--broker-url")!) } catch { throw .usage(error.description) }
        let statusEvery = try duration(parsed.value("--status-every") ?? "5s", option: "--status-every", minimum: .zero)

        // Signals are taken synchronously by this thread: block them before any thread starts.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let live: LiveCollector
        do { live = try LiveCollector(broker: url, options: options) } catch { throw .input(error.description) }
        say("opsim collect: broker \(url), data \(options.directory), indices "
            + options.config.indices.map(\.symbol).joined(separator: ",") + ", every \(options.config.pollInterval), seed \(options.config.seed)")
        if live.recoveries.isEmpty { say("store: no files yet") }
        for report in live.recoveries {
            let cut = report.cutBytes == 0 ? "clean end" : "cut \(report.cutBytes) torn bytes (\"\(printable(report.cutPreview))\")"
            say("store: recovered \(report.path): \(report.rows) rows in \(report.snapshots) snapshots, \(cut)")
        }
        live.start()
        var nextStatus = WallClock.monotonicNow() + statusEvery
        var stoppedBy: Int32 = 0
        while live.outcome == nil {
            var wait = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            let signal = sigtimedwait(&signals, nil, &wait)
            if signal == SIGTERM || signal == SIGINT {
                stoppedBy = signal
                say("opsim collect: \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): finishing the open cycle and syncing")
                live.stop()
                break
            }
            if statusEvery > .zero, WallClock.monotonicNow() >= nextStatus {
                say(statusLine(live.status()))
                nextStatus = WallClock.monotonicNow() + statusEvery
            }
        }
        let outcome = live.wait()
        say(statusLine(live.status()))
        switch outcome {
        case .stopped:
            say("opsim collect: stopped\(stoppedBy == 0 ? "" : " cleanly"); every file fsynced")
            return 0
        case .failed(let message):
            throw .input(message)
        }
    }

    static func liveOptions(_ parsed: ParsedArguments) throws(CLIError) -> LiveCollectorOptions {
        guard parsed.value("--broker-url") != nil else { throw .usage("collect needs --broker-url URL (e.g. http://127.0.0.1:8080)") }
        guard let apiKey = parsed.value("--api-key"), !apiKey.isEmpty else { throw .usage("collect needs --api-key KEY") }
        let credentials: BrokerCredentials
        switch (parsed.value("--access-token"), parsed.value("--api-secret")) {
        case (let token?, nil): credentials = .accessToken(token)
        case (nil, let secret?): credentials = .apiSecret(secret)
        case (.some, .some): throw .usage("give either --access-token or --api-secret, not both")
        case (nil, nil): throw .usage("collect needs --access-token TOKEN (or --api-secret SECRET for opsim's broker)")
        }
        guard let out = parsed.value("--out"), !out.isEmpty else { throw .usage("collect needs --out DIR") }
        let strikes = try integer(parsed.value("--strikes") ?? "20", option: "--strikes", range: 0...200)
        var indices: [CollectorIndex] = []
        for name in (parsed.value("--indices") ?? "NIFTY").split(separator: ",", omittingEmptySubsequences: false) {
            guard var index = CollectorIndex.standard(String(name), strikesEachSide: strikes) else {
                throw .usage("--indices: unknown index '\(name)' (known: NIFTY, BANKNIFTY, FINNIFTY, MIDCPNIFTY, SENSEX)")
            }
            guard !indices.contains(where: { $0.symbol == index.symbol }) else { throw .usage("--indices lists \(name) twice") }
            let sourceText = parsed.value("--source") ?? "rest"
            guard let source = CollectorSource(rawValue: sourceText) else {
                throw .usage("--source expects rest or ticker, got '\(sourceText)'")
            }
            index.source = source
            indices.append(index)
        }
        let interval = try duration(parsed.value("--interval") ?? "1s", option: "--interval", minimum: .milliseconds(100))
        let rateText = parsed.value("--rate") ?? "1"
        guard let rate = Double(rateText), rate > 0, rate <= 1000 else {
            throw .usage("--rate expects quote calls per second in (0, 1000], got '\(rateText)'")
        }
        let syncEvery = try integer(parsed.value("--sync-every") ?? "1", option: "--sync-every", range: 1...100_000)
        var offset = Duration.zero
        if let text = parsed.value("--clock-offset") {
            guard let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e10 else {
                throw .usage("--clock-offset expects seconds, e.g. -86400 or 12.5, got '\(text)'")
            }
            offset = .nanoseconds(Int64((seconds * 1e9).rounded()))
        }
        let seed = try parsed.uint64("--seed") ?? UInt64(bitPattern: WallClock.systemNow().nanosecondsSinceEpoch)
        let config = CollectorConfig(
            indices: indices, pollInterval: interval, quoteRequestsPerSecond: rate, pacingMargin: 0.05, seed: seed)
        var options = LiveCollectorOptions(
            config: config, apiKey: apiKey, credentials: credentials, directory: out, syncEverySnapshots: syncEvery,
            clock: WallClock(offset: offset))
        if parsed.has("--verbose") {
            options.log = { kind, fields in
                let text: [String] = fields.map { field in "\(field.key)=\(describe(field.value))" }
                say(kind + " " + text.joined(separator: " "))
            }
        }
        return options
    }

    /// `1s`, `500ms`, `2.5s` or a bare number of seconds.
    static func duration(_ text: String, option: String, minimum: Duration) throws(CLIError) -> Duration {
        var number = Substring(text)
        var scale = 1e9
        if number.hasSuffix("ms") {
            number = number.dropLast(2)
            scale = 1e6
        } else if number.hasSuffix("s") {
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale < 1e15 else {
            throw .usage("\(option) expects a duration such as 1s or 500ms, got '\(text)'")
        }
        let result = Duration.nanoseconds(Int64((value * scale).rounded()))
        guard result >= minimum else { throw .usage("\(option) must be at least \(minimum), got '\(text)'") }
        return result
    }

    static func integer(_ text: String, option: String, range: ClosedRange<Int>) throws(CLIError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw .usage("\(option) expects an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    static func statusLine(_ status: LiveCollectorStatus) -> String {
        let failures = status.metrics.failures.values.reduce(0, +)
        let kinds = status.metrics.failures.keys.sorted().map { "\($0) \(status.metrics.failures[$0]!)" }.joined(separator: ", ")
        var line = "\(status.at) \(status.phase): snapshots \(status.snapshotsStored) rows \(status.rowsStored) "
            + "requests \(status.metrics.requests) failures \(failures)\(kinds.isEmpty ? "" : " (\(kinds))") "
            + "retries \(status.metrics.retries) 429s \(status.metrics.rateLimited) shortfall \(status.metrics.shortfallContracts) "
            + "store_errors \(status.storeErrors) health \(status.health.overall.name)"
        if let reason = status.health.overall.reason { line += " (\(reason))" }
        if let ticker = status.ticker {
            line += " ticker streamed \(ticker.streamedQuotes) rest_filled \(ticker.restFilledQuotes) disconnects \(ticker.disconnects)"
        }
        if let error = status.lastError, status.health.overall != .ok { line += "; last error: \(error)" }
        return line
    }

    static func describe(_ value: LogValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text.contains(" ") ? "\"\(text)\"" : text
        case .bool(let flag): return flag ? "true" : "false"
        case .instant(let instant): return instant.description
        }
    }

    static func printable(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Prints a line and flushes, so a supervisor reading a pipe sees it at once.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
