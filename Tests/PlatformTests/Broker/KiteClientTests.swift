import Testing

@testable import Platform

@Suite struct KiteClientTests {
    static let login = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 24)!, hour: 9, minute: 0)
    static let now = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 24)!, hour: 10, minute: 0)

    static func client() -> KiteClient {
        KiteClient(apiKey: "key", apiSecret: "secret", session: BrokerSession(
            userID: "U1", accessToken: "tok", loginTime: login, expiresAt: BrokerSession.expiry(afterLogin: login)))
    }

    static func json(_ status: Int, _ body: String, headers: [HeaderField] = []) -> BrokerResponse {
        BrokerResponse(status: status, headers: [HeaderField("Content-Type", "application/json")] + headers, body: Array(body.utf8))
    }

    static let quoteBody = """
        {"status":"success","data":{"NSE:INFY":{"instrument_token":408065,"timestamp":"2021-06-08 15:45:56",\
        "last_trade_time":"2021-06-08 15:45:52","last_price":1412.95,"last_quantity":5,"buy_quantity":0,\
        "sell_quantity":5191,"volume":7360198,"average_price":1412.47,"oi":0,"oi_day_high":0,"oi_day_low":0,\
        "net_change":0,"lower_circuit_limit":1250.7,"upper_circuit_limit":1528.6,\
        "ohlc":{"open":1396,"high":1421.75,"low":1395.55,"close":1389.65},\
        "depth":{"buy":[{"price":0,"quantity":0,"orders":0}],"sell":[{"price":1412.95,"quantity":5191,"orders":13}]}}}}
        """

    @Test("requests carry the version header, token auth and repeated i parameters")
    func requestShape() throws {
        let request = try KiteClientTests.client().quoteRequest(["NFO:A", "NSE:NIFTY 50"], mode: .ohlc, at: KiteClientTests.now)
        #expect(request.method == "GET" && request.path == "/quote/ohlc")
        #expect(request.query == [QueryItem("i", "NFO:A"), QueryItem("i", "NSE:NIFTY 50")])
        #expect(request.headers.contains(HeaderField("X-Kite-Version", "3")))
        #expect(request.headers.contains(HeaderField("Authorization", "token key:tok")))
        let session = KiteClient(apiKey: "key", apiSecret: "secret").sessionRequest(requestToken: "rt")
        let expected = SHA256.hash(Array("keyrtsecret".utf8)).hexString
        #expect(String(decoding: session.body, as: UTF8.self) == "api_key=key&request_token=rt&checksum=\(expected)")
        #expect(!session.headers.contains { $0.name == "Authorization" })
        let history = try KiteClientTests.client().historicalRequest(
            token: 256_265, interval: "minute", from: KiteClientTests.login, to: KiteClientTests.now, oi: true,
            at: KiteClientTests.now)
        #expect(history.path == "/instruments/historical/256265/minute")
        #expect(history.query.first == QueryItem("from", "2026-11-24 09:00:00"))
        #expect(history.query.last == QueryItem("oi", "1"))
    }

    @Test("a prepared quote query sends the request quoteRequest builds, shares one query array, and refuses what it refuses")
    func preparedQuoteQuery() throws {
        var client = KiteClientTests.client()
        for mode in [BrokerQuoteMode.full, .ohlc, .ltp] {
            for count in [1, 2, 7, mode.instrumentsMax] {
                let keys = (0..<count).map { "NFO:K\($0 % 5)" }
                let query = try client.quoteQuery(keys, mode: mode)
                let first = try client.quoteRequest(query, at: KiteClientTests.now)
                #expect(first == (try client.quoteRequest(keys, mode: mode, at: KiteClientTests.now)))
                let again = try client.quoteRequest(query, at: KiteClientTests.now)
                #expect(first.query.withUnsafeBufferPointer { a in again.query.withUnsafeBufferPointer { a.baseAddress == $0.baseAddress } })
            }
            for keys in [[], Array(repeating: "NFO:A", count: mode.instrumentsMax + 1)] {
                #expect(throws: BrokerError.self) { try client.quoteQuery(keys, mode: mode) }
                let direct = #expect(throws: BrokerError.self) { try client.quoteRequest(keys, mode: mode, at: KiteClientTests.now) }
                let prepared = #expect(throws: BrokerError.self) { try client.quoteQuery(keys, mode: mode) }
                #expect(direct == prepared)
            }
        }
        let query = try client.quoteQuery(["NFO:A"], mode: .full)
        client.userAgent = "agent/2"
        #expect(try client.quoteRequest(query, at: KiteClientTests.now).headers.contains(HeaderField("User-Agent", "agent/2")))
        #expect(throws: BrokerError.sessionExpired(expiredAt: BrokerSession.expiry(afterLogin: KiteClientTests.login))) {
            try client.quoteRequest(query, at: BrokerSession.expiry(afterLogin: KiteClientTests.login))
        }
        client.dropSession()
        #expect(throws: BrokerError.notLoggedIn) { try client.quoteRequest(query, at: KiteClientTests.now) }
        #expect(QuoteQuery(keys: ["NFO:A"], mode: .ltp).template == nil)
    }

    @Test("the quote decoder reads Zerodha's published quote shape into exact paise")
    func decodesOfficialShape() throws {
        let quotes = try KiteClientTests.client().parseQuotes(KiteClientTests.json(200, KiteClientTests.quoteBody))
        let quote = try #require(quotes.first)
        #expect(quotes.count == 1 && quote.key == "NSE:INFY" && quote.instrumentToken == 408_065)
        #expect(quote.lastPricePaise == 141_295 && quote.averagePricePaise == 141_247)
        #expect(quote.openPaise == 139_600 && quote.highPaise == 142_175 && quote.closePaise == 138_965)
        #expect(quote.volume == 7_360_198 && quote.sellQuantity == 5191)
        #expect(quote.upperCircuitPaise == 152_860 && quote.lowerCircuitPaise == 125_070)
        #expect(quote.timestamp == ISO8601.parse("2021-06-08T15:45:56+05:30"))
        #expect(quote.asks == [BrokerDepthLevel(pricePaise: 141_295, quantity: 5191, orders: 13)])
    }

    @Test("numbers round half away from zero to paise and exponents are read")
    func numberForms() {
        #expect(KiteDecimal.scaled("1412.955", scale: 2) == 141_296)
        #expect(KiteDecimal.scaled("-0.5", scale: 0) == -1)
        #expect(KiteDecimal.scaled("1.5e3", scale: 2) == 150_000)
        #expect(KiteDecimal.scaled("99999999999999999999", scale: 0) == nil)
        #expect(KiteDecimal.scaled("1e300", scale: 2) == nil)
        #expect(KiteDecimal.scaled("12a", scale: 0) == nil)
    }

    @Test("every error_type maps to its typed error with the HTTP status", arguments: [
        ("TokenException", 403, BrokerErrorKind.token), ("PermissionException", 403, .permission),
        ("InputException", 400, .input), ("OrderException", 500, .order), ("NetworkException", 503, .network),
        ("DataException", 502, .data), ("GeneralException", 500, .general), ("UserException", 403, .user),
        ("MarginException", 400, .margin), ("HoldingException", 400, .holding), ("NewException", 418, .unknown("NewException")),
    ])
    func errorMapping(type: String, status: Int, kind: BrokerErrorKind) {
        let response = KiteClientTests.json(status, #"{"status":"error","message":"boom","data":null,"error_type":"\#(type)"}"#)
        #expect(throws: BrokerError.api(kind: kind, message: "boom", httpStatus: status)) {
            try KiteClientTests.client().parseQuotes(response)
        }
        #expect(throws: BrokerError.api(kind: kind, message: "boom", httpStatus: status)) {
            try KiteClientTests.client().parseProfile(response)
        }
    }

    @Test("429 is rateLimited with Retry-After, JSON or not; a missing Content-Type is typed too")
    func rateLimitAndContentType() {
        let limited = KiteClientTests.json(429, #"{"status":"error","message":"Too many requests","error_type":"NetworkException"}"#,
                                           headers: [HeaderField("Retry-After", "2")])
        #expect(throws: BrokerError.rateLimited(retryAfter: .seconds(2), message: "Too many requests")) {
            try KiteClientTests.client().parseQuotes(limited)
        }
        let plain = BrokerResponse(status: 429, headers: [HeaderField("Content-Type", "text/plain")], body: Array("slow".utf8))
        #expect(throws: BrokerError.rateLimited(retryAfter: nil, message: "HTTP 429 without a JSON body")) {
            try KiteClientTests.client().parseQuotes(plain)
        }
        let bare = BrokerResponse(status: 200, body: Array("{}".utf8))
        #expect(throws: BrokerError.unexpectedContentType(nil, httpStatus: 200)) { try KiteClientTests.client().parseQuotes(bare) }
        let noType = KiteClientTests.json(500, #"{"status":"error","message":"x"}"#)
        #expect(throws: BrokerError.malformedResponse(reason: "error envelope without `error_type` (status error)", httpStatus: 500)) {
            try KiteClientTests.client().parseQuotes(noType)
        }
    }

    @Test("token expiry: no request is built after 06:00 IST next day, and TokenException asks for a login")
    func tokenExpiry() throws {
        var client = KiteClientTests.client()
        let expiry = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 6, minute: 0)
        #expect(client.session?.expiresAt == expiry)
        _ = try client.profileRequest(at: expiry - .seconds(1))
        #expect(throws: BrokerError.sessionExpired(expiredAt: expiry)) { try client.profileRequest(at: expiry) }
        #expect(BrokerError.api(kind: .token, message: "", httpStatus: 403).requiresLogin)
        client.dropSession()
        #expect(throws: BrokerError.notLoggedIn) { try client.quoteRequest(["NFO:A"], mode: .ltp, at: KiteClientTests.now) }
        #expect(throws: BrokerError.self) {
            try KiteClientTests.client().quoteRequest(Array(repeating: "NFO:A", count: 501), mode: .full, at: KiteClientTests.now)
        }
    }

    @Test("session, instruments CSV and candles parse into values")
    func slowPaths() throws {
        var client = KiteClient(apiKey: "key", apiSecret: "secret")
        let session = try client.acceptSession(KiteClientTests.json(200,
            #"{"status":"success","data":{"user_id":"AB1","access_token":"acc","login_time":"2026-11-24 09:00:00"}}"#))
        #expect(session.accessToken == "acc" && session.loginTime == KiteClientTests.login && client.session == session)
        let csv = "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n"
            + "10240002,40000,NIFTY26D0124000CE,NIFTY,0,2026-12-01,24000.0,0.05,65,CE,NFO-OPT,NFO\n"
            + "256265,1001,NIFTY 50,\"NIFTY 50\",0,,0.0,0,0,EQ,INDICES,NSE\n"
        let instruments = try client.parseInstruments(BrokerResponse(
            status: 200, headers: [HeaderField("Content-Type", "text/csv")], body: Array(csv.utf8)))
        #expect(instruments.count == 2 && instruments[0].strikePaise == 2_400_000 && instruments[0].tickSizePaise == 5)
        #expect(instruments[0].expiry == CivilDate(year: 2026, month: 12, day: 1) && instruments[1].expiry == nil)
        #expect(instruments[1].key == "NSE:NIFTY 50")
        let candles = try client.parseCandles(KiteClientTests.json(200,
            #"{"status":"success","data":{"candles":[["2026-11-24T09:15:00+0530",100.5,101,99.95,100,1500,65000]]}}"#))
        #expect(candles == [BrokerCandle(start: ISO8601.instant(CivilDate(year: 2026, month: 11, day: 24)!, hour: 9, minute: 15),
                                         openPaise: 10_050, highPaise: 10_100, lowPaise: 9_995, closePaise: 10_000,
                                         volume: 1500, oi: 65_000)])
        #expect(throws: BrokerError.self) {
            try client.parseInstruments(BrokerResponse(status: 200, headers: [HeaderField("Content-Type", "text/csv")],
                                                       body: Array("a,b\n1,2\n".utf8)))
        }
    }
}
