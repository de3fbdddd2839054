import Foundation
import Glibc
import Platform

/// Serves the anchor workload (`../shared/reference/http-workload/README.md`) on the project's own
/// HTTP core until SIGINT or SIGTERM, for wrk to measure:
/// `GET /health` → `{"status":"ok"}`, `GET /chain` → the bytes of the chain file, and 401
/// `{"error":"invalid api key"}` unless the request carries `X-API-Key: test-key`.
enum HTTPServerBenchmark {
    static func router(chain: [UInt8]) -> Router {
        var router = Router()
        let unauthorized = HTTPResponse.json(Array(#"{"error":"invalid api key"}"#.utf8), status: .unauthorized)
        router.use { request, next in
            request.headers["X-API-Key"] == "test-key" ? try next(request) : unauthorized
        }
        let health = HTTPResponse.json(Array(#"{"status":"ok"}"#.utf8))
        let chainResponse = HTTPResponse.json(chain)
        router.get("/health") { _, _ in health }
        router.get("/chain") { _, _ in chainResponse }
        return router
    }

    static func run(host: String, port: Int, chainPath: String, loops: Int) throws -> Int32 {
        let chain = try [UInt8](Data(contentsOf: URL(fileURLWithPath: chainPath)))
        // Block the stop signals in every thread (the loops inherit the mask); the main thread waits for them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let configuration = HTTPServerConfiguration(host: host, port: port, loopCount: loops)
        let server = try HTTPServer.start(configuration: configuration, router: router(chain: chain))
        FileHandle.standardError.write(Data(
            "opsim-bench http-server: listening on http://\(host):\(server.port) with \(loops) loop(s); chain \(chain.count) bytes; SIGINT/SIGTERM stops\n".utf8))
        var received: Int32 = 0
        sigwait(&signals, &received)
        FileHandle.standardError.write(Data("opsim-bench http-server: signal \(received), shutting down\n".utf8))
        server.shutdown()
        server.wait()
        return 0
    }
}
