/// The WebSocket opening handshake (RFC 6455 §4): validating an upgrade request, building the
/// `101 Switching Protocols` answer, and the client's side of both.
public enum WebSocketHandshake {
    /// The GUID RFC 6455 appends to the client's key before hashing.
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`: Base64(SHA-1(key + GUID)).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)).bytes)
    }

    /// The 101 response to a valid upgrade request, or the error to answer instead.
    ///
    /// Requires GET over HTTP/1.1, `Upgrade: websocket`, `Connection: Upgrade`, version 13 (else
    /// 426 naming the version we speak) and a key that is 16 bytes in Base64.
    public static func response(to request: HTTPRequest) -> Result<HTTPResponse, HTTPError> {
        let headers = request.headers
        guard request.method == .get, request.version == .http11 else {
            return .failure(HTTPError(.badRequest, type: "bad_upgrade", message: "a WebSocket upgrade must be an HTTP/1.1 GET"))
        }
        guard headers.containsToken("websocket", in: "Upgrade"), headers.containsToken("upgrade", in: "Connection") else {
            return .failure(HTTPError(.badRequest, type: "bad_upgrade", message: "send 'Upgrade: websocket' and 'Connection: Upgrade'"))
        }
        guard headers["Sec-WebSocket-Version"]?.trimmingSpaces == "13" else {
            return .failure(HTTPError(
                HTTPStatus(code: 426), type: "unsupported_websocket_version",
                message: "only WebSocket version 13 is supported; send 'Sec-WebSocket-Version: 13'"))
        }
        guard let key = headers["Sec-WebSocket-Key"]?.trimmingSpaces, Base64.decode(String(key))?.count == 16 else {
            return .failure(HTTPError(.badRequest, type: "bad_upgrade", message: "Sec-WebSocket-Key must be 16 bytes in Base64"))
        }
        let response = HTTPResponse(status: .switchingProtocols, headers: [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": acceptValue(forKey: String(key)),
        ])
        return .success(response)
    }

    /// A client's upgrade request for `path` on `host`, with `key` (16 random bytes, Base64).
    public static func request(host: String, path: String, key: String) -> HTTPRequest {
        HTTPRequest(method: .get, target: path, headers: [
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": "13",
        ])
    }

    /// True if `response` accepts the upgrade requested with `key`.
    public static func isAccepted(_ response: HTTPResponse, key: String) -> Bool {
        response.status.code == 101
            && response.headers.containsToken("websocket", in: "Upgrade")
            && response.headers.containsToken("upgrade", in: "Connection")
            && response.headers["Sec-WebSocket-Accept"] == acceptValue(forKey: key)
    }
}
