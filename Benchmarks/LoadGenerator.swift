import Foundation
import Glibc
import Platform
import Synchronization

/// Closed-loop HTTP load for one URL: `wrk` when installed (its figures, parsed), else the
/// benchmark's own keep-alive clients (one thread per connection, each a request at a time).
///
/// Each run also reports the CPU this process used per request (`getrusage`): with wrk in its own
/// process that is the server's cost per request; with the own client it includes the client.
struct LoadGenerator {
    var connections: Int
    var threads: Int
    var seconds: Int
    var useWrk: Bool

    /// One run's figures.
    struct Figures {
        var requestsPerSecond: Double
        var requests: Int
        /// Latency percentiles in milliseconds: 50, 75, 90, 99.
        var latencyMilliseconds: [Double]
        var non2xx: Int
        var socketErrors: Int
        var processCPUMicrosecondsPerRequest: Double
        /// CPU wrk itself used per request (0 with the own client, whose CPU is the process's).
        var clientCPUMicrosecondsPerRequest = 0.0

        var json: String {
            let names = ["p50", "p75", "p90", "p99"]
            let latency = zip(names, latencyMilliseconds).map { "\"\($0)\":\(JSONBenchmark.round2($1 * 1000) / 1000)" }
            return """
                {"requests_per_second":\(Int(requestsPerSecond)),"requests":\(requests),\
                "latency_ms":{\(latency.joined(separator: ","))},"non_2xx":\(non2xx),"socket_errors":\(socketErrors),\
                "process_cpu_us_per_request":\(JSONBenchmark.round2(processCPUMicrosecondsPerRequest)),\
                "client_cpu_us_per_request":\(JSONBenchmark.round2(clientCPUMicrosecondsPerRequest))}
                """
        }
    }

    /// The run with the median rate (the upper one of an even count).
    static func median(_ runs: [Figures]) -> Figures {
        runs.sorted { $0.requestsPerSecond < $1.requestsPerSecond }[runs.count / 2]
    }

    /// The path of `wrk` on `PATH`, or nil.
    static func wrkPath() -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/wrk"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Loads `url` with `header` for `seconds` (default: the generator's) and returns the figures.
    func run(url: String, header: String, seconds: Int? = nil) -> Figures {
        let duration = seconds ?? self.seconds
        let before = Self.processCPUSeconds()
        let childrenBefore = Self.processCPUSeconds(RUSAGE_CHILDREN)
        var figures = useWrk ? runWrk(url: url, header: header, seconds: duration) : runOwn(url: url, header: header, seconds: duration)
        let cpu = Self.processCPUSeconds() - before
        let client = Self.processCPUSeconds(RUSAGE_CHILDREN) - childrenBefore  // wrk, once waited for
        figures.processCPUMicrosecondsPerRequest = figures.requests > 0 ? cpu * 1e6 / Double(figures.requests) : 0
        figures.clientCPUMicrosecondsPerRequest = figures.requests > 0 ? client * 1e6 / Double(figures.requests) : 0
        return figures
    }

    static func processCPUSeconds(_ who: __rusage_who = RUSAGE_SELF) -> Double {
        var usage = rusage()
        getrusage(who.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private func runWrk(url: String, header: String, seconds: Int) -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.wrkPath()!)
        process.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-H", header, url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { fail("could not run wrk: \(error)") }
        let text = String(decoding: Self.readAll(output.fileHandleForReading.fileDescriptor), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { fail("wrk exited with \(process.terminationStatus):\n\(text)") }
        return Self.parseWrk(text)
    }

    /// Everything until end of file (retrying reads a signal interrupts, which Foundation's doesn't).
    static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return bytes }
            bytes += chunk[0..<got]
        }
    }

    /// Figures from wrk's `--latency` report.
    static func parseWrk(_ text: String) -> Figures {
        var figures = Figures(requestsPerSecond: 0, requests: 0, latencyMilliseconds: [0, 0, 0, 0], non2xx: 0, socketErrors: 0,
                              processCPUMicrosecondsPerRequest: 0)
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("Requests/sec:"), words.count > 1 { figures.requestsPerSecond = Double(words[1]) ?? 0 }
            if words.count >= 2, words[1] == "requests", words.count > 2, words[2] == "in" { figures.requests = Int(words[0]) ?? 0 }
            if line.hasPrefix("Non-2xx or 3xx responses:") { figures.non2xx = Int(words.last ?? "") ?? 0 }
            if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                figures.socketErrors = words.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }.reduce(0, +)
            }
            for (slot, percent) in ["50%", "75%", "90%", "99%"].enumerated() where words.count == 2 && words[0] == percent {
                figures.latencyMilliseconds[slot] = milliseconds(words[1])
            }
        }
        return figures
    }

    /// `812.00us`, `1.42ms`, `1.01s` in milliseconds.
    static func milliseconds(_ text: String) -> Double {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * scale
        }
        return 0
    }

    /// One thread per connection, each sending the next request when the previous answer is in.
    private func runOwn(url: String, header: String, seconds: Int) -> Figures {
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let hostPort = rest[..<slash].split(separator: ":")
        let host = String(hostPort[0])
        let port = Int(hostPort.last ?? "80") ?? 80
        let target = String(rest[slash...])
        let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let headers = HTTPHeaders([(name: parts[0], value: parts.count > 1 ? parts[1] : "")])
        let deadline = WallClock.monotonicNow() + .seconds(seconds)
        let results = Mutex<(latencies: [Int64], non2xx: Int, errors: Int)>(([], 0, 0))
        let client = HTTPClient(configuration: HTTPClient.Configuration(idleConnectionsPerHostMax: connections))
        let workers = (0..<connections).map { _ in
            WallClock.spawn {
                var latencies: [Int64] = []
                var non2xx = 0
                var errors = 0
                while WallClock.monotonicNow() < deadline {
                    let start = WallClock.monotonicNow()
                    do {
                        let response = try client.get(target, host: host, port: port, headers: headers)
                        if !(200..<300).contains(response.status.code) { non2xx += 1 }
                        latencies.append((WallClock.monotonicNow() - start).wholeNanoseconds)
                    } catch {
                        errors += 1
                    }
                }
                results.withLock { $0.latencies += latencies; $0.non2xx += non2xx; $0.errors += errors }
            }
        }
        workers.forEach { $0.join() }
        return results.withLock { results in
            let sorted = results.latencies.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
            }
            return Figures(
                requestsPerSecond: Double(sorted.count) / Double(seconds), requests: sorted.count,
                latencyMilliseconds: [percentile(0.5), percentile(0.75), percentile(0.9), percentile(0.99)],
                non2xx: results.non2xx, socketErrors: results.errors, processCPUMicrosecondsPerRequest: 0)
        }
    }
}
