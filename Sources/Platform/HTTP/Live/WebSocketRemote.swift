#if canImport(Glibc)
/// A thread-safe handle to one WebSocket connection: sends from any thread through its loop's mailbox.
///
/// `WebSocketSession` is confined to its loop's thread; take `session.remote` in `onOpen` to push
/// frames later from a timer thread (e.g. a ticker). Each call posts one command; the loop runs it
/// in order with the connection's other output. After the connection has closed, calls do nothing.
/// The handle keeps the connection object alive (not its socket) until dropped.
public struct WebSocketRemote: Sendable {
    private let mailbox: LoopMailbox
    private let target: UncheckedTransfer<(connection: LiveConnection, loop: ServerLoop)>

    init(connection: LiveConnection, loop: ServerLoop) {
        mailbox = loop.mailbox
        target = UncheckedTransfer((connection, loop))
    }

    /// Queues a binary message; false if the loop's mailbox was full (the message was not queued).
    @discardableResult
    public func send(binary: [UInt8]) -> Bool {
        let target = target
        return mailbox.post(.perform {
            let (connection, loop) = target.value
            if !connection.isClosed { connection.sendMessage(.binary, binary, loop: loop) }
        })
    }

    /// Queues a text message; false if the loop's mailbox was full (the message was not queued).
    @discardableResult
    public func send(text: String) -> Bool {
        let target = target
        return mailbox.post(.perform {
            let (connection, loop) = target.value
            if !connection.isClosed { connection.sendMessage(.text, Array(text.utf8), loop: loop) }
        })
    }

    /// Starts the close handshake from any thread.
    public func close(code: UInt16 = 1000, reason: String = "") {
        let target = target
        mailbox.post(.perform {
            let (connection, loop) = target.value
            if !connection.isClosed { connection.closeWebSocket(code: code, reason: reason, loop: loop) }
        }, force: true)
    }
}

extension WebSocketSession {
    /// A handle that sends on this connection from any thread (see `WebSocketRemote`).
    public var remote: WebSocketRemote { WebSocketRemote(connection: connection, loop: loop) }
}
#endif
