import Testing

@testable import Platform

@Suite struct StreamHubTests {
    typealias ID = StreamHub.ConnectionID
    static let at = Instant(secondsSinceEpoch: 1_795_491_900)

    func texts(_ effects: [StreamHub.Effect], for id: ID) -> [String] {
        effects.compactMap { if case .send(let to, let text) = $0, to == id { return text } else { return nil } }
    }

    @Test("subscribers get matching updates with increasing sequence numbers and correct previous_sequence")
    func publishAndSequence() throws {
        var hub = StreamHub(knownIndices: ["NIFTY", "BANKNIFTY"])
        let a = ID(1), b = ID(2)
        _ = hub.connect(a)
        _ = hub.connect(b)
        _ = hub.receive(#"{"action":"subscribe","indices":["NIFTY"],"channels":["chain"]}"#, from: a)
        _ = hub.receive(#"{"action":"subscribe","indices":["NIFTY","BANKNIFTY"]}"#, from: b)
        let first = hub.publish(channel: "chain", index: "NIFTY", data: Array(#"{"n":1}"#.utf8), at: Self.at)
        let second = hub.publish(channel: "analytics", index: "BANKNIFTY", data: Array("{}".utf8), at: Self.at)
        let third = hub.publish(channel: "chain", index: "NIFTY", data: Array(#"{"n":2}"#.utf8), at: Self.at)
        #expect(texts(first, for: a).count == 1 && texts(second, for: a).isEmpty && texts(third, for: a).count == 1)
        let message = try JSONParser.parse(texts(third, for: a)[0])
        #expect(message["sequence"] == .number(JSONNumber(text: "3")))
        #expect(message["previous_sequence"] == .number(JSONNumber(text: "1")))
        #expect(message["data"]?["n"] == .number(JSONNumber(text: "2")))
        #expect(texts(second, for: b).count == 1)
    }

    @Test("resume replays retained messages after the given sequence once, and reports a gap beyond history")
    func resume() throws {
        var hub = StreamHub(knownIndices: ["NIFTY"], historyCapacity: 3)
        let id = ID(7)
        _ = hub.connect(id)
        _ = hub.receive(#"{"action":"subscribe","indices":["NIFTY"],"channels":["chain"]}"#, from: id)
        for n in 1...5 { _ = hub.publish(channel: "chain", index: "NIFTY", data: Array("{\"n\":\(n)}".utf8), at: Self.at) }
        hub.disconnect(id)
        _ = hub.connect(id)
        _ = hub.receive(#"{"action":"subscribe","indices":["NIFTY"],"channels":["chain"]}"#, from: id)
        let replay = texts(hub.receive(#"{"action":"resume","from_sequence":1}"#, from: id), for: id)
        #expect(replay.first?.contains(#""type":"gap""#) == true)
        #expect(replay.dropFirst().map { try! JSONParser.parse($0)["sequence"] } == [3, 4, 5].map { .number(JSONNumber(text: "\($0)")) })
        #expect(texts(hub.receive(#"{"action":"resume","from_sequence":3}"#, from: id), for: id).isEmpty)  // already sent
    }

    @Test("a consumer that stops reading is closed at the byte limit instead of queueing without bound")
    func slowConsumer() {
        var hub = StreamHub(knownIndices: ["NIFTY"], unacknowledgedBytesMax: 1000)
        let slow = ID(1), fast = ID(2)
        for id in [slow, fast] {
            _ = hub.connect(id)
            _ = hub.receive(#"{"action":"subscribe","indices":["NIFTY"]}"#, from: id)
        }
        var closed = false
        for _ in 0..<50 {
            let effects = hub.publish(channel: "chain", index: "NIFTY", data: Array(String(repeating: "x", count: 50).debugDescription.utf8), at: Self.at)
            for effect in effects {
                switch effect {
                case .close(let id, let code, _):
                    #expect(id == slow && code == 1013)
                    closed = true
                case .send(let id, let text) where id == fast:
                    hub.acknowledge(fast, bytes: text.utf8.count)
                default: break
                }
            }
        }
        #expect(closed)
        #expect(hub.connectionCount == 1)
    }

    @Test("malformed and unknown messages get typed error replies, never a crash", arguments: [
        "not json", "{}", #"{"action":"dance"}"#, #"{"action":"subscribe"}"#, #"{"action":"subscribe","indices":["DOW"]}"#,
        #"{"action":"subscribe","indices":["NIFTY"],"channels":["trades"]}"#, #"{"action":"resume","from_sequence":-1}"#,
    ])
    func errors(text: String) throws {
        var hub = StreamHub(knownIndices: ["NIFTY"])
        _ = hub.connect(ID(1))
        let replies = texts(hub.receive(text, from: ID(1)), for: ID(1))
        #expect(replies.count == 1)
        #expect(try JSONParser.parse(replies[0])["type"] == .string("error"))
    }
}
