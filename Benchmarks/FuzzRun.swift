import Platform

/// A long seeded mutation run over the three parsers that face the network (HTTP requests,
/// WebSocket frames, JSON), for the issue's "1 million inputs each" check; the test suite runs a
/// short version of the same loop. Reports how each input ended; a crash or hang would stop it.
enum FuzzRun {
    static let httpCorpus: [[UInt8]] = [
        "GET /chain?symbol=NIFTY HTTP/1.1\r\nHost: h\r\nX-API-Key: test-key\r\n\r\n",
        "POST /o HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
        "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nT: x\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b%20c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ].map { Array($0.utf8) }

    static func run(iterations: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        let limits = HTTPParserLimits(headerSectionBytesMax: 4096, requestLineBytesMax: 1024, bodyBytesMax: 8192)
        var http = (requests: 0, errors: 0, incomplete: 0)
        for _ in 0..<iterations {
            var bytes = httpCorpus[Int(random.next(below: UInt64(httpCorpus.count)))]
            mutate(&bytes, random: &random)
            var parser = HTTPRequestParser(limits: limits)
            var offset = 0
            var ended = false
            while offset < bytes.count && !ended {
                let end = min(bytes.count, offset + 1 + Int(random.next(below: 64)))
                parser.append(contentsOf: bytes[offset..<end])
                offset = end
                loop: while true {
                    switch parser.next() {
                    case .request: http.requests += 1
                    case .continueExpected: continue
                    case .needMoreData: break loop
                    case .error:
                        http.errors += 1
                        ended = true
                        break loop
                    }
                }
            }
            if !ended { http.incomplete += 1 }
        }

        var client = WebSocketConnection(role: .client, maskSeed: seed)
        var wsBase: [UInt8] = []
        client.send(text: "tick {\"ltp\":216.35}", into: &wsBase)
        client.send(binary: Array(repeating: 0xAB, count: 300), into: &wsBase)
        client.ping([1, 2], into: &wsBase)
        client.close(code: 1000, reason: "done", into: &wsBase)
        var ws = (messages: 0, closes: 0)
        for _ in 0..<iterations {
            var bytes = wsBase
            mutate(&bytes, random: &random)
            var server = WebSocketConnection(role: .server, messageBytesMax: 4096)
            var out: [UInt8] = []
            for event in server.receive(bytes, into: &out) {
                if case .closed = event { ws.closes += 1 } else { ws.messages += 1 }
            }
        }

        let jsonBase = Array(#"{"symbol":"NIFTY","rows":[{"strike":21000,"ltp":216.34,"iv":0.1566,"s":"a\u00e9\n","n":[true,false,null,-1.5e-3]}]}"#.utf8)
        var json = (accepted: 0, rejected: 0)
        for _ in 0..<iterations {
            var bytes = jsonBase
            mutate(&bytes, random: &random)
            var reader = JSONReader(bytes)
            do {
                try reader.skipValue()
                try reader.end()
                json.accepted += 1
            } catch {
                json.rejected += 1
            }
        }
        return """
            {"benchmark":"fuzz","seed":\(seed),"iterations_per_parser":\(iterations),\
            "http":{"requests":\(http.requests),"errors":\(http.errors),"incomplete":\(http.incomplete)},\
            "websocket":{"messages":\(ws.messages),"closes":\(ws.closes)},\
            "json":{"accepted":\(json.accepted),"rejected":\(json.rejected)}}
            """
    }

    static let interesting: [UInt8] = [0x00, 0x0A, 0x0D, 0x20, 0x3A, 0x25, 0x7F, 0x80, 0xFF, 0x30, 0x39, 0x3B, 0x22, 0x5C, 0x7E]

    static func mutate(_ bytes: inout [UInt8], random: inout SplitMix64) {
        for _ in 0..<(1 + Int(random.next(below: 4))) {
            let position = bytes.isEmpty ? 0 : Int(random.next(below: UInt64(bytes.count)))
            switch random.next(below: 6) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1 where !bytes.isEmpty: bytes[position] = interesting[Int(random.next(below: UInt64(interesting.count)))]
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes.insert(interesting[Int(random.next(below: UInt64(interesting.count)))], at: position)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int(random.next(below: 16)))
                bytes.insert(contentsOf: Array(bytes[position..<end]), at: position)
            default:
                bytes = Array(bytes.prefix(position))
            }
        }
    }
}
