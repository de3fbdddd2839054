/// Reads one message body out of a receive buffer, by Content-Length, chunked coding or until close.
///
/// How this works: the decoder is a small state machine. `.length` counts down the bytes still
/// owed; `.chunked` walks size line → data → CRLF → … → last chunk → trailer lines → empty line;
/// `.untilClose` (responses only) takes everything until the stream ends. Each `decode` call
/// consumes what it can and says whether the body is complete. The body never grows past
/// `bodyLimit`, chunk-size lines past `chunkLineMax` or trailers past `trailerLimit`, so a peer
/// cannot make it hold more than those bounds.
struct HTTPBodyDecoder: Sendable {
    enum State: Sendable, Equatable {
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytesSeen: Int)
        case untilClose
        case done
    }

    private(set) var state: State
    let bodyLimit: Int
    let trailerLimit: Int
    static let chunkLineMax = 1024

    init(state: State, bodyLimit: Int, trailerLimit: Int) {
        self.state = state
        self.bodyLimit = bodyLimit
        self.trailerLimit = trailerLimit
    }

    /// Consumes body bytes from `buffer` into `body`; returns true once the body is complete.
    mutating func decode(_ buffer: inout HTTPReceiveBuffer, into body: inout [UInt8]) throws(HTTPParseError) -> Bool {
        while true {
            switch state {
            case .done:
                return true
            case .length(let remaining):
                let take = min(remaining, buffer.readableCount)
                if take > 0 {
                    buffer.withReadable { bytes in body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<take])) }
                    buffer.consume(take)
                }
                state = remaining == take ? .done : .length(remaining: remaining - take)
                if state != .done { return false }
            case .untilClose:
                if body.count + buffer.readableCount > bodyLimit { throw .bodyTooLarge(limitBytes: bodyLimit) }
                buffer.withReadable { bytes in body.append(contentsOf: bytes) }
                buffer.consume(buffer.readableCount)
                return false
            case .chunkSize:
                guard let size = try readChunkSize(&buffer) else { return false }
                guard size <= bodyLimit - body.count else { throw .bodyTooLarge(limitBytes: bodyLimit) }
                state = size == 0 ? .trailers(bytesSeen: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, buffer.readableCount)
                if take > 0 {
                    buffer.withReadable { bytes in body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<take])) }
                    buffer.consume(take)
                }
                if take < remaining {
                    state = .chunkData(remaining: remaining - take)
                    return false
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let ended = try readLineEnd(&buffer) else { return false }
                guard ended else { throw .malformed(reason: "chunk data not followed by CRLF") }
                state = .chunkSize
            case .trailers(let seen):
                guard let (lineLength, found) = try readLine(&buffer, limit: trailerLimit - seen) else {
                    return false
                }
                _ = found
                state = lineLength == 0 ? .done : .trailers(bytesSeen: seen + lineLength + 2)
            }
        }
    }

    /// Reads `CRLF` (or a bare LF); nil if more bytes are needed, false if something else is there.
    private func readLineEnd(_ buffer: inout HTTPReceiveBuffer) throws(HTTPParseError) -> Bool? {
        let result: Int? = buffer.withReadable { bytes in
            if bytes.isEmpty { return nil }
            if bytes[0] == 0x0A { return 1 }
            if bytes[0] != 0x0D { return 0 }
            if bytes.count < 2 { return nil }
            return bytes[1] == 0x0A ? 2 : 0
        }
        guard let length = result else { return nil }
        if length == 0 { return false }
        buffer.consume(length)
        return true
    }

    /// Reads one line up to `limit` bytes; returns its content length, or nil if incomplete.
    private func readLine(_ buffer: inout HTTPReceiveBuffer, limit: Int) throws(HTTPParseError) -> (Int, Bool)? {
        let limit = max(limit, 0)
        let found: (lf: Int, content: Int)? = try buffer.withReadable { bytes throws(HTTPParseError) in
            let searchEnd = min(bytes.count, limit + 2)
            guard let lf = HTTPHeadParsing.lineEnd(bytes, from: 0, to: searchEnd) else {
                if bytes.count >= limit + 2 { throw .headerSectionTooLarge(limitBytes: trailerLimit) }
                return nil
            }
            return (lf, HTTPHeadParsing.contentEnd(bytes, start: 0, lf: lf))
        }
        guard let found else { return nil }
        buffer.consume(found.lf + 1)
        return (found.content, true)
    }

    /// Reads a chunk-size line (hex size, optional extensions); nil if incomplete.
    private func readChunkSize(_ buffer: inout HTTPReceiveBuffer) throws(HTTPParseError) -> Int? {
        let limit = bodyLimit
        let parsed: (size: Int, consumed: Int)? = try buffer.withReadable { bytes throws(HTTPParseError) in
            let searchEnd = min(bytes.count, HTTPBodyDecoder.chunkLineMax)
            guard let lf = HTTPHeadParsing.lineEnd(bytes, from: 0, to: searchEnd) else {
                if bytes.count >= HTTPBodyDecoder.chunkLineMax {
                    throw .malformed(reason: "chunk-size line longer than \(HTTPBodyDecoder.chunkLineMax) bytes")
                }
                return nil
            }
            let end = HTTPHeadParsing.contentEnd(bytes, start: 0, lf: lf)
            var size = 0
            var index = 0
            while index < end, let digit = PercentDecoding.hexValue(bytes[index]) {
                size = size * 16 + Int(digit)
                if size > limit { throw .bodyTooLarge(limitBytes: limit) }
                index += 1
            }
            guard index > 0 else { throw .malformed(reason: "chunk size is not a hexadecimal number") }
            if index < end {
                let next = bytes[index]
                guard next == 0x3B || next == 0x20 || next == 0x09 else {
                    throw .malformed(reason: "invalid character after the chunk size")
                }
            }
            return (size, lf + 1)
        }
        guard let parsed else { return nil }
        buffer.consume(parsed.consumed)
        return parsed.size
    }
}
