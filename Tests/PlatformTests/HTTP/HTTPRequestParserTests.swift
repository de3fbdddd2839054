import Testing

@testable import Platform

@Suite struct HTTPRequestParserTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Feeds `text` whole and returns every event up to the first `.needMoreData` or error.
    static func events(_ text: String, limits: HTTPParserLimits = .standard) -> [HTTPRequestParser.Event] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(contentsOf: bytes(text))
        var out: [HTTPRequestParser.Event] = []
        while true {
            let event = parser.next()
            out.append(event)
            switch event {
            case .needMoreData, .error: return out
            case .request, .continueExpected: continue
            }
        }
    }

    static func firstError(_ text: String, limits: HTTPParserLimits = .standard) -> HTTPParseError? {
        for case .error(let error) in events(text, limits: limits) { return error }
        return nil
    }

    @Test("a simple GET parses into method, decoded path, raw query and headers")
    func simpleGet() throws {
        let events = Self.events("GET /a%20b/c?x=1&y=h%C3%A9+llo HTTP/1.1\r\nHost: example\r\nX-API-Key:  test-key \r\n\r\n")
        guard case .request(let request) = events.first else { Issue.record("no request: \(events)"); return }
        #expect(request.method == .get)
        #expect(request.path == "/a b/c")
        #expect(request.query == "x=1&y=h%C3%A9+llo")
        #expect(request.queryValue("y") == "hé llo")
        #expect(request.headers["x-api-key"] == "test-key")
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
        #expect(events.last == .needMoreData)
    }

    @Test("Content-Length and chunked bodies are read whole, with trailers skipped")
    func bodies() {
        let fixed = Self.events("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
        guard case .request(let a) = fixed.first else { Issue.record("\(fixed)"); return }
        #expect(a.body == Self.bytes("hello"))
        let chunked = Self.events(
            "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
        guard case .request(let b) = chunked.first else { Issue.record("\(chunked)"); return }
        #expect(b.body == Self.bytes("hello world"))
        #expect(chunked.last == .needMoreData)
    }

    @Test("pipelined requests come out one per next() call, in order")
    func pipelining() {
        let one = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
        let two = "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        let three = "GET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let events = Self.events(one + two + three + "GET /4 HTTP/1.1\r\nHost: h\r\n\r\n")
        let paths = events.compactMap { event -> String? in
            if case .request(let request) = event { return request.path }
            return nil
        }
        #expect(paths == ["/1", "/2", "/3"])  // parsing stops after Connection: close
    }

    @Test("Expect: 100-continue yields continueExpected before the body arrives")
    func expectContinue() {
        var parser = HTTPRequestParser()
        let head = "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
        #expect(parser.feed(Self.bytes(head)) == .continueExpected)
        #expect(parser.next() == .needMoreData)
        guard case .request(let request) = parser.feed(Self.bytes("data")) else { Issue.record("no request"); return }
        #expect(request.body == Self.bytes("data"))
    }

    @Test("HTTP/1.0 closes by default and keeps alive on request")
    func http10() {
        guard case .request(let a) = Self.events("GET / HTTP/1.0\r\n\r\n").first,
            case .request(let b) = Self.events("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first
        else { Issue.record("no request"); return }
        #expect(!a.keepAlive)
        #expect(b.keepAlive)
    }

    @Test("an absolute-form target is reduced to its path and query")
    func absoluteForm() {
        guard case .request(let request) = Self.events("GET http://h:8/a/b?q=1 HTTP/1.1\r\nHost: h:8\r\n\r\n").first
        else { Issue.record("no request"); return }
        #expect(request.path == "/a/b")
        #expect(request.query == "q=1")
    }

    @Test("each limit and grammar violation answers its status", arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\nX: <17000 a>\r\n\r\n", 431),
        ("GET /<9000 a> HTTP/1.1\r\nHost: h\r\n\r\n", 414),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n", 413),
        ("BREW / HTTP/1.1\r\nHost: h\r\n\r\n", 501),
        ("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET nopath HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY", 400),
        ("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: tea\r\n\r\n", 417),
    ])
    func limits(text: String, status: Int) {
        // "<N a>" stands for N repeated "a" bytes, to keep the test's argument list readable.
        let expanded = text.replacing("<17000 a>", with: String(repeating: "a", count: 17_000))
            .replacing("<9000 a>", with: String(repeating: "a", count: 9000))
        let error = Self.firstError(expanded)
        #expect(error?.status.code == status, "got \(String(describing: error))")
    }

    @Test("a header section that never ends is refused once it passes the limit, without buffering more")
    func endlessHeaders() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(Self.bytes("GET / HTTP/1.1\r\nHost: h\r\n")) == .needMoreData)
        var result = HTTPRequestParser.Event.needMoreData
        var fed = 0
        while result == .needMoreData && fed < 100_000 {
            result = parser.feed(Self.bytes("X-Filler: 0123456789\r\n"))
            fed += 22
        }
        #expect(result == .error(.headerSectionTooLarge(limitBytes: 16 * 1024)))
        #expect(fed < 17 * 1024)
    }

    @Test("a parse error is sticky: every later call returns it again")
    func stickyError() {
        var parser = HTTPRequestParser()
        let first = parser.feed(Self.bytes("BAD\r\n\r\n"))
        guard case .error = first else { Issue.record("expected an error"); return }
        #expect(parser.feed(Self.bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n")) == first)
    }

    @Test("the bytes after an upgrade request are handed over untouched")
    func upgrade() {
        var parser = HTTPRequestParser()
        let head = "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
        guard case .request = parser.feed(Self.bytes(head) + [0x81, 0x80]) else { Issue.record("no request"); return }
        #expect(parser.next() == .needMoreData)
        #expect(parser.takeRemainingBytes() == [0x81, 0x80])
    }

    @Test("the end of the stream mid-request is reported, between requests it is not")
    func endOfStream() {
        var parser = HTTPRequestParser()
        #expect(parser.endOfStream() == nil)
        _ = parser.feed(Self.bytes("GET / HT"))
        #expect(parser.endOfStream() == .unexpectedEndOfStream)
    }
}
