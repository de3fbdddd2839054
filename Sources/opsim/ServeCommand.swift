import Chaos
import Dispatch
import Foundation
import MarketSim
import Platform

/// `opsim serve --broker-port P [--speed X] [--seed N] [--at T] [--api-key K --api-secret S] …`.
enum ServeCommand {
    static let command = Commands.Command(
        name: "serve", summary: "serve the mock Kite Connect broker (REST + ticker) on 127.0.0.1",
        help: """
            Usage: opsim serve --broker-port PORT [--speed X] [--seed N] [--at TIME]
                               [--api-key K --api-secret S] [--redirect-url URL] [--indices A,B]

            Serves a Kite Connect v3-compatible mock broker over the simulated market on 127.0.0.1:
            REST routes at http://127.0.0.1:PORT/ (point the official client's `root` there) and the
            binary ticker at ws://127.0.0.1:PORT/ws (the ticker's `root`). Virtual time starts at TIME
            and runs X times real time. GET /connect/login?api_key=K&v=3 plays the browser login and
            answers 302 to URL?request_token=…&action=login&status=success. Stops on SIGINT/SIGTERM.

            Options:
              --broker-port PORT  TCP port for the broker (required; 0 picks a free one)
              --speed X           virtual seconds per real second (default 1; e.g. 60)
              --seed N            market seed (default 1; decimal or 0x-hex)
              --at TIME           virtual start, ISO 8601 with an offset (default: now if the market
                                  is open, else the next session open at 09:15 IST)
              --api-key K         API key the broker accepts (default opsim_key)
              --api-secret S      its secret (default opsim_secret)
              --redirect-url URL  login redirect (default http://127.0.0.1/callback)
              --indices A,B       indices to simulate (default all: \(Market.allIndices.joined(separator: ",")))

            Exit status: 0 after a clean stop, 2 bad usage or the port could not be bound.
            """,
        run: run)

    static func run(_ arguments: [String]) throws(CLIError) -> Int32 {
        let parsed = try ParsedArguments(
            arguments,
            valueOptions: ["--broker-port", "--speed", "--seed", "--at", "--api-key", "--api-secret",
                           "--redirect-url", "--indices"],
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
        var at: Instant?
        if let text = parsed.value("--at") {
            guard let time = MarketTime(iso: text) else {
                throw .usage("--at expects an ISO 8601 instant with an offset such as 2026-11-25T09:15:00+05:30, got '\(text)'")
            }
            at = Instant(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch)
        }
        let indices = (parsed.value("--indices") ?? Market.allIndices.joined(separator: ","))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let seed = try parsed.uint64("--seed") ?? 1
        let live: LiveBroker
        do throws(LiveBrokerError) {
            live = try LiveBroker.start(
                port: port, seed: seed, at: at, speed: speed,
                apiKey: parsed.value("--api-key") ?? "opsim_key", apiSecret: parsed.value("--api-secret") ?? "opsim_secret",
                redirectURL: parsed.value("--redirect-url") ?? "http://127.0.0.1/callback", indices: indices)
        } catch {
            throw .input(error.description)
        }
        // Handlers first: the banner tells scripts the server is ready, and a SIGTERM sent on
        // seeing it must not fall between ignoring the signal and the source taking it over.
        let signals = stopOnSignals(live)
        FileHandle.standardOutput.write(Data((banner(live, speed: speed) + "\n").utf8))
        live.wait()
        signals.forEach { $0.cancel() }
        FileHandle.standardOutput.write(Data("opsim serve: stopped\n".utf8))
        return 0
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
        Stop with Ctrl-C.
        """
    }

    /// Shuts `live` down on SIGINT or SIGTERM (the default actions are disabled while serving).
    static func stopOnSignals(_ live: LiveBroker) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { live.shutdown() }
            source.resume()
            return source
        }
    }
}
