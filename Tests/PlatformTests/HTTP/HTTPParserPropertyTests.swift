import Testing

@testable import Platform

/// Seeded property and mutation tests over every HTTP parser: splits, round trips, fuzzing.
@Suite struct HTTPParserPropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    static let corpus: [String] = [
        "GET /chain?symbol=NIFTY&expiry=2026-11-26 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-API-Key: test-key\r\n\r\n",
        "POST /orders HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"qty\":50,\"x\":1}\n",
        "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\nDELETE /c/%7Bx%7D HTTP/1.1\r\nHost: h\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.0\n\n",
    ]

    /// Every event from `parts` fed one after another, stopping at an error.
    static func run(_ parts: [[UInt8]], limits: HTTPParserLimits = .standard) -> [HTTPRequestParser.Event] {
        var parser = HTTPRequestParser(limits: limits)
        var out: [HTTPRequestParser.Event] = []
        for part in parts {
            parser.append(contentsOf: part)
            while true {
                let event = parser.next()
                if event == .needMoreData { break }
                if event == .continueExpected { continue }
                out.append(event)
                if case .error = event { return out }
            }
        }
        return out
    }

    static func randomSplit(_ bytes: [UInt8], random: inout SplitMix64) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let length = 1 + Int(random.next(below: UInt64(min(40, bytes.count - offset))))
            parts.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return parts
    }

    @Test("any split of the bytes parses to the same requests", arguments: seeds)
    func anySplit(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for text in Self.corpus {
            let bytes = Array(text.utf8)
            let whole = Self.run([bytes])
            #expect(!whole.isEmpty)
            #expect(Self.run(Self.randomSplit(bytes, random: &random)) == whole, "seed \(seed): \(text)")
        }
        let oneByOne = Self.run(Array(Self.corpus[3].utf8).map { [$0] })
        #expect(oneByOne == Self.run([Array(Self.corpus[3].utf8)]))
    }

    @Test("mutated requests never crash and end in requests or a typed error", arguments: seeds)
    func mutationFuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 7919)
        let limits = HTTPParserLimits(headerSectionBytesMax: 2048, requestLineBytesMax: 512, bodyBytesMax: 4096)
        for _ in 0..<250 {
            var bytes = Array(Self.corpus[Int(random.next(below: UInt64(Self.corpus.count)))].utf8)
            Fuzz.mutate(&bytes, random: &random)
            let events = Self.run(Self.randomSplit(bytes, random: &random), limits: limits)
            for case .error(let error) in events {
                #expect([400, 413, 414, 417, 431, 501, 505].contains(error.status.code))
            }
            for case .request(let request) in events { #expect(request.body.count <= 4096) }
        }
    }

    @Test("a serialised response parses back to the same status, headers and body", arguments: seeds)
    func responseRoundTrip(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let body = (0..<Int(random.next(below: 3000))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var response = HTTPResponse(status: HTTPStatus(code: [200, 201, 404, 500][Int(random.next(below: 4))]), body: body)
        response.headers.add(name: "X-Seed", value: "\(seed)")
        response.headers.add(name: "Content-Length", value: "\(body.count)")
        let wire = response.serialized() + response.serialized()
        var parser = HTTPResponseParser()
        var parsed: [HTTPResponse] = []
        for part in Self.randomSplit(wire, random: &random) {
            parser.append(contentsOf: part)
            while case .response(let r) = parser.next() { parsed.append(r) }
        }
        #expect(parsed == [response, response], "seed \(seed)")
    }

    @Test("mutated responses never crash the response parser", arguments: seeds)
    func responseFuzz(seed: UInt64) {
        var random = SplitMix64(seed: seed &+ 1_000_003)
        let samples = [
            HTTPResponse.json(Array(#"{"status":"ok"}"#.utf8)).serialized(),
            Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".utf8),
            Array("HTTP/1.0 200 OK\r\n\r\nuntil close".utf8),
        ]
        for _ in 0..<250 {
            var bytes = samples[Int(random.next(below: UInt64(samples.count)))]
            Fuzz.mutate(&bytes, random: &random)
            var parser = HTTPResponseParser(limits: HTTPParserLimits(headerSectionBytesMax: 2048, requestLineBytesMax: 512, bodyBytesMax: 4096))
            parser.append(contentsOf: bytes)
            var steps = 0
            while case .response = parser.next(), steps < 100 { steps += 1 }
            _ = parser.endOfStream()
        }
    }
}

/// Seeded byte mutations shared by the fuzz-style tests.
enum Fuzz {
    static let interesting: [UInt8] = [0x00, 0x0A, 0x0D, 0x20, 0x3A, 0x25, 0x7F, 0x80, 0xFF, 0x30, 0x39, 0x3B]

    static func mutate(_ bytes: inout [UInt8], random: inout SplitMix64) {
        let count = 1 + Int(random.next(below: 4))
        for _ in 0..<count {
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
