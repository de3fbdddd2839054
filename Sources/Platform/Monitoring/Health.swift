/// One component's health: ok, degraded with a reason, or down with a reason.
public enum HealthStatus: Sendable, Equatable {
    case ok
    case degraded(reason: String)
    case down(reason: String)

    /// `ok`, `degraded` or `down`.
    public var name: String {
        switch self {
        case .ok: return "ok"
        case .degraded: return "degraded"
        case .down: return "down"
        }
    }

    var severity: Int {
        switch self {
        case .ok: return 0
        case .degraded: return 1
        case .down: return 2
        }
    }

    public var reason: String? {
        switch self {
        case .ok: return nil
        case .degraded(let reason), .down(let reason): return reason
        }
    }
}

/// The health of one component at an instant, with what readiness checks need.
public struct ComponentHealth: Sendable, Equatable {
    /// Component name, e.g. `collector`, `store`, `broker`.
    public var name: String
    public var status: HealthStatus
    /// The last time the component did its job successfully (a poll, a write), if ever.
    public var lastSuccess: Instant?

    public init(name: String, status: HealthStatus, lastSuccess: Instant? = nil) {
        self.name = name
        self.status = status
        self.lastSuccess = lastSuccess
    }
}

/// All components' health; overall status is the worst of them.
public struct HealthReport: Sendable, Equatable {
    public var at: Instant
    public var components: [ComponentHealth]

    public init(at: Instant, components: [ComponentHealth]) {
        self.at = at
        self.components = components.sorted { $0.name < $1.name }
    }

    /// The worst component status (`ok` when there are none).
    public var overall: HealthStatus {
        components.map(\.status).max { $0.severity < $1.severity } ?? .ok
    }

    /// Ready when no component is down.
    public var isReady: Bool { overall.severity < 2 }

    /// The report as JSON: `{"status":…,"at":…,"components":[{"name","status","reason","last_success","staleness_seconds"}]}`.
    public var json: String {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"status":"#.utf8)
        JSONWriter.appendString(overall.name, to: &out)
        out.append(contentsOf: #","at":"#.utf8)
        JSONWriter.appendString(at.description, to: &out)
        out.append(contentsOf: #","components":["#.utf8)
        for (position, component) in components.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"name":"#.utf8)
            JSONWriter.appendString(component.name, to: &out)
            out.append(contentsOf: #","status":"#.utf8)
            JSONWriter.appendString(component.status.name, to: &out)
            out.append(contentsOf: #","reason":"#.utf8)
            if let reason = component.status.reason { JSONWriter.appendString(reason, to: &out) } else { out.append(contentsOf: "null".utf8) }
            out.append(contentsOf: #","last_success":"#.utf8)
            if let last = component.lastSuccess {
                JSONWriter.appendString(last.description, to: &out)
                out.append(contentsOf: #","staleness_seconds":"#.utf8)
                JSONWriter.appendNumber(Double((at - last).wholeNanoseconds) / 1e9, to: &out)
            } else {
                out.append(contentsOf: #"null,"staleness_seconds":null"#.utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
