#if canImport(Glibc)
extension LiveCollector {
    /// Carries out one ticker command: open a socket (its reader thread reports back), send, close.
    func tickerCommand(_ command: TickerCommand) {
        switch command {
        case .connect(let connection, let accessToken):
            let path = options.tickerPath + "?api_key=" + Self.queryEscaped(options.apiKey)
                + "&access_token=" + Self.queryEscaped(accessToken)
            let socket = LiveTickerSocket.open(host: broker.host, port: broker.port, path: path, connection: connection) {
                [self] event in post(.ticker(event))
            }
            let replaced = tickers.withLock { sockets in
                defer { sockets[connection] = socket }
                return sockets[connection]
            }
            replaced?.close()
            replaced?.join()
        case .send(let connection, let text):
            let socket = tickers.withLock { $0[connection] }
            socket?.send(text: text)
        case .close(let connection):
            let socket = tickers.withLock { $0.removeValue(forKey: connection) }
            socket?.close()
        }
    }

    /// Closes every ticker socket and waits for their reader threads.
    func closeTickers() {
        let sockets = tickers.withLock { sockets -> [LiveTickerSocket] in
            defer { sockets = [:] }
            return sockets.keys.sorted().map { sockets[$0]! }
        }
        for socket in sockets { socket.close() }
        for socket in sockets { socket.join() }
    }

    /// `text` with everything but unreserved characters percent-encoded, for a query value.
    static func queryEscaped(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
#endif
