/// The login flow, profile and margins routes.
extension KiteBroker {
    /// `GET /connect/login?api_key=K&v=3`: plays the browser login and redirects with a request token.
    mutating func login(_ request: KiteHTTPRequest, at now: KiteInstant) -> KiteHTTPResponse {
        guard request.queryValue("api_key") == configuration.apiKey else {
            return KiteError(.input, "Invalid `api_key`.").response
        }
        let token = sessions.issueRequestToken(
            at: now, lifetimeNanoseconds: configuration.requestTokenLifetimeNanoseconds)
        let separator = configuration.redirectURL.contains("?") ? "&" : "?"
        let location = configuration.redirectURL + separator
            + "request_token=\(token)&action=login&type=login&status=success"
        return KiteHTTPResponse(
            status: 302,
            headers: [KiteField("Content-Type", "text/html; charset=utf-8"), KiteField("Location", location)],
            body: Array("<a href=\"\(location)\">Redirecting</a>".utf8))
    }

    /// `POST /session/token` with `api_key`, `request_token`, `checksum`: opens a session.
    mutating func createSession(_ request: KiteHTTPRequest, at now: KiteInstant) -> KiteHTTPResponse {
        let form = KiteForm.decode(request.body)
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard let apiKey = field("api_key"), let requestToken = field("request_token"),
            let checksum = field("checksum")
        else {
            return KiteError(.input, "Missing `api_key`, `request_token` or `checksum` in the form body.").response
        }
        guard apiKey == configuration.apiKey else { return KiteError(.token, "Invalid `api_key`.").response }
        let expected = configuration.checksum(apiKey + requestToken + configuration.apiSecret)
        guard checksum.lowercased() == expected else {
            return KiteError(.token, "Invalid `checksum`.").response
        }
        switch sessions.openSession(apiKey: apiKey, requestToken: requestToken, at: now) {
        case .failure(let error): return error.response
        case .success(let session): return KiteEnvelope.success(sessionData(session))
        }
    }

    /// `DELETE /session/token?api_key=…&access_token=…`: ends the session, answers `true`.
    mutating func logout(_ request: KiteHTTPRequest, at now: KiteInstant) -> KiteHTTPResponse {
        guard let apiKey = request.queryValue("api_key"), let accessToken = request.queryValue("access_token")
        else { return KiteError(.input, "Missing `api_key` or `access_token`.").response }
        guard sessions.close(apiKey: apiKey, accessToken: accessToken) else {
            return KiteError.invalidSession.response
        }
        return KiteEnvelope.success(Array("true".utf8))
    }

    private func userFields(into out: inout [UInt8]) {
        out.append(contentsOf: #""user_id":"#.utf8)
        KiteJSON.appendString(configuration.userID, to: &out)
        out.append(contentsOf: #","user_type":"individual","email":"#.utf8)
        KiteJSON.appendString(configuration.email, to: &out)
        out.append(contentsOf: #","user_name":"#.utf8)
        KiteJSON.appendString(configuration.userName, to: &out)
        out.append(contentsOf: #","user_shortname":"#.utf8)
        KiteJSON.appendString(String(configuration.userName.split(separator: " ").first ?? ""), to: &out)
        out.append(contentsOf: #","broker":"ZERODHA","exchanges":["NSE","NFO","BSE","BFO"],"#.utf8)
        out.append(contentsOf: #""products":["CNC","NRML","MIS"],"order_types":["MARKET","LIMIT","SL","SL-M"],"#.utf8)
        out.append(contentsOf: #""avatar_url":null,"meta":{"demat_consent":"physical"}"#.utf8)
    }

    private func sessionData(_ session: KiteSessionBook.Session) -> [UInt8] {
        var out: [UInt8] = [0x7B]
        userFields(into: &out)
        out.append(contentsOf: #","api_key":"#.utf8)
        KiteJSON.appendString(session.apiKey, to: &out)
        out.append(contentsOf: #","access_token":"#.utf8)
        KiteJSON.appendString(session.accessToken, to: &out)
        out.append(contentsOf: #","public_token":"#.utf8)
        KiteJSON.appendString(session.publicToken, to: &out)
        out.append(contentsOf: #","enctoken":"","refresh_token":"","silo":"","login_time":""#.utf8)
        KiteTime.appendTimestamp19(session.loginTime, to: &out)
        out.append(contentsOf: "\"}".utf8)
        return out
    }

    /// `GET /user/profile`.
    func profile() -> KiteHTTPResponse {
        var out: [UInt8] = [0x7B]
        userFields(into: &out)
        out.append(0x7D)
        return KiteEnvelope.success(out)
    }

    /// `GET /user/margins[/{segment}]`: a fixed, plausible account with ₹10 lakh cash in both segments.
    func margins(segment name: String?) -> KiteHTTPResponse {
        let segment = #"{"enabled":true,"net":1000000,"available":{"adhoc_margin":0,"cash":1000000,"#
            + #""opening_balance":1000000,"live_balance":1000000,"collateral":0,"intraday_payin":0},"#
            + #""utilised":{"debits":0,"exposure":0,"m2m_realised":0,"m2m_unrealised":0,"option_premium":0,"#
            + #""payout":0,"span":0,"holding_sales":0,"turnover":0,"liquid_collateral":0,"stock_collateral":0,"#
            + #""delivery":0}}"#
        if name != nil { return KiteEnvelope.success(Array(segment.utf8)) }
        return KiteEnvelope.success(Array(#"{"equity":\#(segment),"commodity":\#(segment)}"#.utf8))
    }
}
