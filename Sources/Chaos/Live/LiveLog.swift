import Glibc
import Platform
import Synchronization

/// The live server's log: one JSON object per line (or one text line) per event, on a file
/// descriptor, each line written whole so lines from several threads never interleave.
///
/// Lines are `{"t":NS,"at":"2026-11-25T10:00:01.5+05:30","component":C,"kind":K,…fields}`
/// (`LogEvent.jsonLine`): `at` is the platform's clock in IST, `t` the same in nanoseconds. A log
/// can start *held*: lines are kept (at most `heldLinesMax`, then counted as dropped) until
/// `open()`, so a human banner printed first is never split by early events.
public final class LiveLog: Sendable {
    /// How lines are written.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line.
        case json
        /// `AT component kind key=value …` for reading in a terminal.
        case text
    }

    struct State {
        var held: [[UInt8]]? = []
        var heldDropped = 0
    }

    public let format: Format
    private let descriptor: Int32
    private let clock: WallClock
    private let state: Mutex<State>
    /// Lines kept while held.
    public static let heldLinesMax = 10_000

    /// A log writing to `descriptor` (not closed by the log) with `clock`'s time; held until
    /// `open()` when `held`.
    public init(format: Format, descriptor: Int32 = STDERR_FILENO, clock: WallClock, held: Bool = false) {
        self.format = format
        self.descriptor = descriptor
        self.clock = clock
        self.state = Mutex(State(held: held ? [] : nil))
    }

    /// Writes the held lines (and how many were dropped), then writes each line as it comes.
    public func open() {
        state.withLock { state in
            guard let held = state.held else { return }
            for line in held { write(line) }
            if state.heldDropped > 0 {
                write(line(LogEvent(time: clock.now, component: "log", kind: "lines_dropped",
                                    fields: [("count", .int(Int64(state.heldDropped)))])))
            }
            state.held = nil
        }
    }

    /// Lines kept until `open()` (0 once open).
    public var heldLineCount: Int { state.withLock { $0.held?.count ?? 0 } }

    /// Logs one event at the clock's current time.
    public func record(_ component: String, _ kind: String, _ fields: [(String, LogValue)] = []) {
        record(LogEvent(time: clock.now, component: component, kind: kind, fields: fields))
    }

    /// Logs `event` as given.
    public func record(_ event: LogEvent) {
        let bytes = line(event)
        state.withLock { state in
            if state.held != nil {
                if state.held!.count < Self.heldLinesMax { state.held!.append(bytes) } else { state.heldDropped += 1 }
            } else {
                write(bytes)
            }
        }
    }

    /// The bytes of one line for `event` in this log's format.
    func line(_ event: LogEvent) -> [UInt8] {
        var out: [UInt8] = []
        switch format {
        case .json:
            event.jsonLine(into: &out)
        case .text:
            var text = "\(event.time) \(event.component) \(event.kind)"
            for (key, value) in event.fields { text += " \(key)=\(Self.text(value))" }
            out = Array((text + "\n").utf8)
        }
        return out
    }

    static func text(_ value: LogValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text.contains(" ") || text.isEmpty ? "\"\(text)\"" : text
        case .bool(let flag): return flag ? "true" : "false"
        case .instant(let instant): return instant.description
        }
    }

    /// Writes all of `bytes` (retrying short writes); a closed descriptor loses the line silently,
    /// as a log must never stop the server.
    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

extension LiveLog {
    /// The access-log line of one API answer: method, path, route, status, duration_ms, bytes and
    /// the key's id (absent when no known key was presented).
    public func access(_ access: LiveAPI.Access) {
        var fields: [(String, LogValue)] = [
            ("method", .string(access.method)), ("path", .string(access.path)), ("route", .string(access.route)),
            ("status", .int(Int64(access.status))),
            ("duration_ms", .double(Double(access.durationNanoseconds / 1_000) / 1_000)),
            ("bytes", .int(Int64(access.bodyBytes))),
        ]
        if let keyID = access.keyID { fields.append(("key_id", .string(keyID))) }  // absent: no known key
        record("api", "access", fields)
    }
}
