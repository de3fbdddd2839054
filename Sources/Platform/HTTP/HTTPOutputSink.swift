/// Where a connection state machine appends the bytes to send.
///
/// A plain `[UInt8]` is one (everything is copied into it, which is what tests and the simulated
/// network want). The live server's queue keeps large bodies by reference instead, so a
/// precomputed 13 KB response is handed to `writev` without being copied per request.
public protocol HTTPOutputSink {
    /// Bytes appended and not yet taken by the driver.
    var outputByteCount: Int { get }
    /// Appends a copy of `bytes`.
    mutating func appendBytes(_ bytes: [UInt8])
    /// Appends a body; the sink may keep a reference to its storage instead of copying.
    mutating func appendBody(_ body: [UInt8])
}

extension Array: HTTPOutputSink where Element == UInt8 {
    public var outputByteCount: Int { count }
    public mutating func appendBytes(_ bytes: [UInt8]) { append(contentsOf: bytes) }
    public mutating func appendBody(_ body: [UInt8]) { append(contentsOf: body) }
}

extension HTTPResponse {
    /// Appends the response to `sink`: the head as bytes, the body (unless `headOnly`) as a body.
    public func write<Sink: HTTPOutputSink>(to sink: inout Sink, keepAlive: Bool = true, headOnly: Bool = false) {
        var head: [UInt8] = []
        head.reserveCapacity(128 + (body.count < 4096 ? body.count : 0))
        serializeHead(into: &head, keepAlive: keepAlive)
        let sendsBody = !headOnly && !status.forbidsBody && !body.isEmpty
        if sendsBody && body.count < 4096 {
            head.append(contentsOf: body)
            sink.appendBytes(head)
        } else {
            sink.appendBytes(head)
            if sendsBody { sink.appendBody(body) }
        }
    }
}
