import Chaos
import Dispatch
import Foundation
import MarketSim
import Platform

/// `opsim serve --broker-port P [--speed X] [--seed N] [--at T] [--api-key K --api-secret S] …`.
enum ServeCommand {
    static let command = Commands.Command(
        name: "serve", summary: "serve the mock Kite broker and, with --port, the platform collecting from it and its API",
        help: """
            Usage: opsim serve --broker-port PORT [--speed X] [--seed N] [--at TIME] [--scenario FILE]
                               [--api-key K --api-secret S] [--redirect-url URL] [--indices A,B]
                               [--port API_PORT [--data-dir DIR] [--demo-key KEY] [--strikes N]
                                [--cors-origin ORIGIN]]

            Serves a Kite Connect v3-compatible mock broker over the simulated market on 127.0.0.1:
            REST routes at http://127.0.0.1:PORT/ (point the official client's `root` there) and the
            binary ticker at ws://127.0.0.1:PORT/ws (the ticker's `root`). Virtual time starts at TIME
            and runs X times real time. GET /connect/login?api_key=K&v=3 plays the browser login and
            answers 302 to URL?request_token=…&action=login&status=success. Stops on SIGINT/SIGTERM.

            Logs: after the banner on stdout, one event per line on stderr, as JSON objects
            (--log-format json, the default: {"t":NS,"at":ISO 8601 +05:30,"component","kind",…}) or
            text (--log-format text): startup, collector events (login, discovery, poll errors,
            retries, sampled snapshot writes), one access line per API request (method, path,
            route, status, duration_ms, key_id; never the key) and the shutdown (files fsynced).
            Times are the platform's clock, which follows the broker's virtual time.

            Options:
              --broker-port PORT  TCP port for the broker (required; 0 picks a free one)
              --log-format F      json (default) or text
              --speed X           virtual seconds per real second (default 1; e.g. 60)
              --seed N            market seed (default 1; decimal or 0x-hex)
              --at TIME           virtual start, ISO 8601 with an offset (default: now if the market
                                  is open, else the next session open at 09:15 IST)
              --api-key K         API key the broker accepts (default opsim_key)
              --api-secret S      its secret (default opsim_secret)
              --redirect-url URL  login redirect (default http://127.0.0.1/callback)
              --indices A,B       indices to simulate (default all: \(Market.allIndices.joined(separator: ",")))
              --scenario FILE     serve a scenario's market and broker live: its seed, start (session date
                                  and start time), indices, `market` section (model overrides, staged
                                  jumps and volatility spikes) and `broker` section (errors, partial and
                                  stale quotes, maintenance); with --port, its collector's strikes each
                                  side. Flags given as well win. Its `link` and `load` sections are
                                  simulation-only and not used here

            With --port, the platform runs too: the collector logs in to the broker over HTTP, polls
            NIFTY and BANKNIFTY chains (ATM ±N strikes, 4 expiry buckets) once a virtual second into
            DIR, and the REST API serves them on http://127.0.0.1:API_PORT (/docs, /openapi.json,
            /v1/…, /health, /ready, /metrics); send the key as X-API-Key. The collector runs on the
            broker's virtual clock (at --speed 60 it polls 60 times a real second and stamps snapshots
            with virtual time); API keys' rate limits stay in real time.

              --port API_PORT     TCP port for the platform API (0 picks a free one)
              --data-dir DIR      where the collector stores its CSVs (default ./opsim-data)
              --demo-key KEY      the API key to accept (default: a random one, printed)
              --strikes N         strikes each side of ATM to collect (default 20)
              --cors-origin O     a browser origin allowed to call the API (may be repeated)
              --keys FILE         more API keys, scopes and limits from a JSON file (keys in plain text
                                  or as key_sha256; see Sources/Chaos/Live/APIKeyFile.swift)

            Exit status: 0 after a clean stop, 2 bad usage or the port could not be bound.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments,
            valueOptions: ["--broker-port", "--speed", "--seed", "--at", "--scenario", "--api-key", "--api-secret",
                           "--redirect-url", "--indices", "--port", "--data-dir", "--demo-key", "--strikes", "--cors-origin", "--keys",
                           "--log-format"],
            flagOptions: [])
        guard parsed.positionals.isEmpty else {
            throw .usage("serve takes no positional arguments, got '\(parsed.positionals[0])'")
        }
        guard let portText = parsed.value("--broker-port") else { throw .usage("serve needs --broker-port PORT") }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw .usage("--broker-port expects a port number 0…65535, got '\(portText)'")
        }
        let speedText = parsed.value("--speed") ?? "1"
        guard let speed = Double(speedText), speed.isFinite, speed > 0 else {
            throw .usage("--speed expects a positive number, got '\(speedText)'")
        }
        var scenario: Scenario?
        if let path = parsed.value("--scenario") {
            do { scenario = try ScenarioDecoder.load(path: path) } catch { throw .input(error.description) }
        }
        var at: Instant? = scenario?.start
        if let text = parsed.value("--at") {
            guard let time = MarketTime(iso: text) else {
                throw .usage("--at expects an ISO 8601 instant with an offset such as 2026-11-25T09:15:00+05:30, got '\(text)'")
            }
            at = Instant(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch)
        }
        if let scenario, let at, scenario.market?.events.isEmpty == false, ISO8601.istDate(of: at) != scenario.sessionDate {
            printError("opsim: note: the scenario's market events are for \(scenario.sessionDate); serving from \(ISO8601.istDate(of: at)), they apply only when virtual time reaches that date")
        }
        let indices = (parsed.value("--indices") ?? (scenario?.indices ?? Market.allIndices).joined(separator: ","))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let seed = try parsed.uint64("--seed") ?? scenario?.seed ?? 1
        let formatText = parsed.value("--log-format") ?? "json"
        guard let format = LiveLog.Format(rawValue: formatText) else {
            throw .usage("--log-format expects json or text, got '\(formatText)'")
        }
        let live: LiveBroker
        do throws(LiveBrokerError) {
            live = try LiveBroker.start(
                port: port, seed: seed, at: at, speed: speed,
                apiKey: parsed.value("--api-key") ?? "opsim_key", apiSecret: parsed.value("--api-secret") ?? "opsim_secret",
                redirectURL: parsed.value("--redirect-url") ?? "http://127.0.0.1/callback", indices: indices,
                spec: scenario?.market?.spec(from: .standard) ?? .standard, behaviour: scenario?.broker ?? .perfect)
        } catch {
            throw .input(error.description)
        }
        // Held until the banner is out, so early collector events never split it.
        let log = LiveLog(format: format, descriptor: STDERR_FILENO, clock: WallClock.starting(at: live.virtualNow(), rate: speed), held: true)
        let platform = try startPlatform(parsed, live: live, indices: indices, seed: seed, log: log,
                                         strikesDefault: min(100, max(1, scenario?.collector?.strikesEachSide ?? 20)))
        // Handlers first: the banner tells scripts the server is ready, and a SIGTERM sent on
        // seeing it must not fall between ignoring the signal and the source taking it over.
        // Recorded before the banner: a signal sent on seeing the banner logs `stopping` after it.
        log.record("serve", "started", startedFields(live, platform: platform?.platform, seed: seed, speed: speed)
                   + (scenario.map { [("scenario", LogValue.string($0.name))] } ?? []))
        let signals = stopOnSignals(live, platform: platform?.platform, log: log)
        var text = banner(live, speed: speed)
        if let scenario {
            text += "\n  scenario    \(scenario.name): seed \(seed)"
            if let events = scenario.market?.eventSummary(openSecond: MarketSpec.standard.calendar.openSecond), !events.isEmpty {
                text += "; market events \(events)"
            }
        }
        if let platform { text += "\n" + platformBanner(platform.platform, demoKey: platform.demoKey) }
        text += "\nStop with Ctrl-C."
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
        log.open()
        live.wait()
        let outcome = platform?.platform.wait()
        signals.forEach { $0.cancel() }
        log.record("serve", "stopped", stoppedFields(platform?.platform, outcome: outcome))
        FileHandle.standardOutput.write(Data("opsim serve: stopped\n".utf8))
        return 0
    }

    /// The `started` log line: where everything listens (the demo key's id, never the key).
    static func startedFields(_ live: LiveBroker, platform: LivePlatform?, seed: UInt64, speed: Double) -> [(String, LogValue)] {
        var fields: [(String, LogValue)] = [
            ("broker_url", .string(live.baseURL)), ("ticker_url", .string(live.tickerURL)), ("seed", .string(String(seed))),
            ("speed", .double(speed)), ("virtual_now", .instant(live.virtualNow())), ("pid", .int(Int64(getpid()))),
        ]
        if let platform {
            let base = "http://127.0.0.1:\(platform.api.port)"
            fields += [
                ("api_url", .string(base)), ("docs_url", .string(base + "/docs")), ("stream_url", .string("ws://127.0.0.1:\(platform.api.port)/v1/stream")),
                ("data_dir", .string(platform.dataDirectory)), ("demo_key_id", .string("demo")),
            ]
        }
        return fields
    }

    /// The `stopped` log line: how the collector ended and what the store holds, all fsynced.
    static func stoppedFields(_ platform: LivePlatform?, outcome: LiveCollectorOutcome?) -> [(String, LogValue)] {
        guard let platform, let outcome else { return [("platform", .bool(false))] }
        let status = platform.collector.status()
        var fields: [(String, LogValue)] = [
            ("outcome", .string(outcome == .stopped ? "stopped" : "failed")),
            ("synced", .bool(outcome == .stopped)),
            ("snapshots_stored", .int(Int64(status.snapshotsStored))), ("rows_stored", .int(Int64(status.rowsStored))),
            ("store_syncs", .int(Int64(status.store.syncs))), ("store_errors", .int(Int64(status.storeErrors))),
        ]
        if case .failed(let message) = outcome { fields.append(("error", .string(message))) }
        return fields
    }

    static func banner(_ live: LiveBroker, speed: Double) -> String {
        """
        opsim serve: mock Kite Connect broker
          base URL    \(live.baseURL)
          ticker URL  \(live.tickerURL)
          api key     \(live.apiKey)
          api secret  \(live.apiSecret)
          virtual now \(live.virtualNow()) (speed \(speed)x)
          login       GET \(live.baseURL)/connect/login?api_key=\(live.apiKey)&v=3 redirects to
                      \(live.redirectURL)?request_token=…; then kite.generate_session(request_token, api_secret)
        """
    }

    /// Starts the collector and API when `--port` is given.
    static func startPlatform(_ parsed: ParsedArguments, live: LiveBroker, indices: [String], seed: UInt64, log: LiveLog,
                              strikesDefault: Int = 20)
        throws(CLIError) -> (platform: LivePlatform, demoKey: String)?
    {
        guard let portText = parsed.value("--port") else {
            for option in ["--data-dir", "--demo-key", "--strikes", "--cors-origin", "--keys"] where parsed.value(option) != nil {
                live.shutdown()
                throw .usage("\(option) needs --port (it configures the platform API)")
            }
            return nil
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            live.shutdown()
            throw .usage("--port expects a port number 0…65535, got '\(portText)'")
        }
        let strikesText = parsed.value("--strikes") ?? String(strikesDefault)
        guard let strikes = Int(strikesText), (1...100).contains(strikes) else {
            live.shutdown()
            throw .usage("--strikes expects an integer 1…100, got '\(strikesText)'")
        }
        let demoKey = parsed.value("--demo-key") ?? "opsim-demo-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var extraKeys: [APIKeyRecord] = []
        if let path = parsed.value("--keys") {
            do {
                extraKeys = try APIKeyFile.load(path: path)
            } catch {
                live.shutdown()
                throw .input(error.description)
            }
        }
        let collected = indices.filter { ["NIFTY", "BANKNIFTY"].contains($0) }
        do throws(LivePlatformError) {
            let platform = try LivePlatform.start(
                brokerURL: live.baseURL, apiKey: live.apiKey, apiSecret: live.apiSecret,
                indices: collected.isEmpty ? Array(indices.prefix(2)) : collected, strikesEachSide: strikes,
                dataDirectory: parsed.value("--data-dir") ?? "opsim-data", apiPort: port, demoKey: demoKey, extraKeys: extraKeys,
                corsOrigins: parsed.values("--cors-origin"), clock: WallClock.starting(at: live.virtualNow()), seed: seed,
                collectorClock: WallClock.starting(at: live.virtualNow(), rate: live.clock.speed), log: log)
            return (platform, demoKey)
        } catch {
            live.shutdown()
            throw .input(error.description)
        }
    }

    static func platformBanner(_ platform: LivePlatform, demoKey: String) -> String {
        let base = "http://127.0.0.1:\(platform.api.port)"
        return """
            opsim serve: platform
              API         \(base)/v1/indices   (send X-API-Key: \(demoKey))
              docs        \(base)/docs   spec \(base)/openapi.json
              health      \(base)/health  \(base)/ready  \(base)/metrics
              data        \(platform.dataDirectory) (one CSV per trading date and index)
              try         curl -H 'X-API-Key: \(demoKey)' '\(base)/v1/chain/NIFTY?strikes=5'
            """
    }

    /// Shuts everything down on SIGINT or SIGTERM (the default actions are disabled while serving).
    static func stopOnSignals(_ live: LiveBroker, platform: LivePlatform?, log: LiveLog) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log.record("serve", "stopping", [("signal", .string(number == SIGINT ? "SIGINT" : "SIGTERM"))])
                platform?.shutdown()
                live.shutdown()
            }
            source.resume()
            return source
        }
    }
}
