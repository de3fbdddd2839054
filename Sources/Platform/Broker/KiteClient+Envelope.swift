/// The slow path shared by every route: envelopes, error mapping and Kite's text formats.
extension KiteClient {
    /// Throws unless the response's Content-Type names JSON (Kite's rule); any HTTP 429 is a rate limit.
    static func requireJSON(_ response: BrokerResponse) throws(BrokerError) {
        let type = response.header("Content-Type")
        if response.status == 429, type.map(mentionsJSON) != true {
            // A proxy's plain-text 429 is still a rate limit; the Python client would call it a DataException.
            throw .rateLimited(retryAfter: retryAfter(response), message: "HTTP 429 without a JSON body")
        }
        guard let type, mentionsJSON(type) else {
            throw .unexpectedContentType(type, httpStatus: response.status)
        }
    }

    /// Whether `type`, lowercased, contains `json`: an ASCII type is searched byte by byte, case folded
    /// (no lowercased copy, no Foundation search per response); any other as `lowercased().contains`.
    static func mentionsJSON(_ type: String) -> Bool {
        let ascii: Bool?? = type.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            guard bytes.count >= 4 else { return false }
            // `byte | 0x20` folds exactly the upper-case letter onto its lower case for these four letters.
            for start in 0...(bytes.count - 4)
            where bytes[start] | 0x20 == 0x6A && bytes[start + 1] | 0x20 == 0x73 && bytes[start + 2] | 0x20 == 0x6F
                && bytes[start + 3] | 0x20 == 0x6E {
                return true
            }
            return false
        }
        if let ascii, let ascii { return ascii }
        return type.lowercased().contains("json")
    }

    /// The `data` of a success envelope, or the typed error the envelope describes.
    static func successData(_ response: BrokerResponse) throws(BrokerError) -> JSONValue {
        try requireJSON(response)
        let document: JSONValue
        do {
            document = try JSONParser.parse(response.body)
        } catch {
            throw .malformedResponse(reason: "invalid JSON: \(error)", httpStatus: response.status)
        }
        if let error = envelopeError(document, response) { throw error }
        guard let data = document["data"] else {
            throw .malformedResponse(reason: "success envelope without `data`", httpStatus: response.status)
        }
        return data
    }

    /// The typed error for a JSON response already known not to be a success.
    static func errorFromJSON(_ response: BrokerResponse) -> BrokerError {
        do {
            let document = try JSONParser.parse(response.body)
            return envelopeError(document, response)
                ?? .malformedResponse(reason: "envelope is neither success nor error", httpStatus: response.status)
        } catch {
            return .malformedResponse(reason: "invalid JSON: \(error)", httpStatus: response.status)
        }
    }

    /// Nil for a success envelope; otherwise the error it carries (Kite's client rule: an
    /// `error_type` anywhere, or a status other than "success", means an error).
    static func envelopeError(_ document: JSONValue, _ response: BrokerResponse) -> BrokerError? {
        guard case .object = document else {
            return .malformedResponse(reason: "envelope is \(document.typeDescription), not an object", httpStatus: response.status)
        }
        let status: String? = if case .string(let text)? = document["status"] { text } else { nil }
        let errorType: String? = if case .string(let text)? = document["error_type"] { text } else { nil }
        if status == "success", errorType == nil { return nil }
        var message = "no message"
        if case .string(let text)? = document["message"] { message = text }
        if response.status == 429 {
            return .rateLimited(retryAfter: retryAfter(response), message: message)
        }
        guard let errorType else {
            return .malformedResponse(reason: "error envelope without `error_type` (status \(status ?? "missing"))",
                                      httpStatus: response.status)
        }
        return .api(kind: BrokerErrorKind(errorType: errorType), message: message, httpStatus: response.status)
    }

    /// `Retry-After` in whole seconds, when present and sane (0…3600).
    static func retryAfter(_ response: BrokerResponse) -> Duration? {
        guard let text = response.header("Retry-After"), let seconds = Int64(text.trimmingSpaces), (0...3600).contains(seconds)
        else { return nil }
        return .seconds(seconds)
    }

    /// Reads `YYYY-MM-DD HH:MM:SS` as IST.
    static func parseIST19(_ text: String) -> Instant? {
        guard text.utf8.count == 19, hasRepresentableYear(text) else { return nil }
        return ISO8601.parse(text + "+05:30")
    }

    /// Whether `text` starts with a year `Instant` can hold (1900–2200); guards against overflow on hostile input.
    static func hasRepresentableYear(_ text: String) -> Bool {
        guard let year = Int(text.prefix(4)) else { return false }
        return (1900...2200).contains(year)
    }

    /// Writes `YYYY-MM-DD HH:MM:SS` in IST.
    static func formatIST19(_ instant: Instant) -> String {
        let text = ISO8601.format(Instant(secondsSinceEpoch: instant.secondsSinceEpoch))
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }

    /// Percent-encodes a form value (unreserved characters kept).
    static func formEncode(_ text: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(byte)
            default: out.append(contentsOf: [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let trimmed = drop { $0 == " " }
        return trimmed.prefix { $0 != " " }
    }
}
