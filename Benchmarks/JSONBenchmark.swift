import Foundation
import Platform

/// Decodes and encodes the anchor option chain with Foundation's coders (the baseline) and with
/// `JSONReader`/`JSONOutput`, in the same process, and reports the speed-ups.
enum JSONBenchmark {
    struct Row: Codable, Equatable {
        var side: String
        var strike: Int
        var ltp, bid, ask, iv, delta, gamma, theta, vega: Double
        var oi, volume: Int
    }

    struct Chain: Codable, Equatable {
        var symbol: String
        var expiry: String
        var spot: Double
        var rows: [Row]
    }

    static func run(chainPath: String) throws -> String {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: chainPath)))
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        let reference = try decoder.decode(Chain.self, from: data)
        guard try fastDecode(bytes) == reference else { throw BenchmarkError("fast decode differs from Foundation") }
        guard try fastDecode(fastEncode(reference)) == reference else { throw BenchmarkError("fast encode does not round-trip") }

        let iterations = 2000
        let foundationDecode = measure(iterations) { _ = try? decoder.decode(Chain.self, from: data) }
        let fastDecodeTime = measure(iterations) { _ = try? fastDecode(bytes) }
        let foundationEncode = measure(iterations) { _ = try? encoder.encode(reference) }
        var output = JSONOutput(reservingCapacity: 16_384)
        let fastEncodeTime = measure(iterations) {
            output.reset()
            encode(reference, into: &output)
        }
        let megabytes = Double(bytes.count) / 1_048_576
        func perSecond(_ seconds: Double) -> Int { Int(Double(iterations) / seconds) }
        return """
            {"benchmark":"json","document_bytes":\(bytes.count),"iterations":\(iterations),\
            "decode":{"foundation_docs_per_second":\(perSecond(foundationDecode)),\
            "reader_docs_per_second":\(perSecond(fastDecodeTime)),\
            "reader_mib_per_second":\(Int(megabytes * Double(iterations) / fastDecodeTime)),\
            "speedup":\(round2(foundationDecode / fastDecodeTime))},\
            "encode":{"foundation_docs_per_second":\(perSecond(foundationEncode)),\
            "output_docs_per_second":\(perSecond(fastEncodeTime)),\
            "speedup":\(round2(foundationEncode / fastEncodeTime))}}
            """
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static func measure(_ iterations: Int, _ body: () -> Void) -> Double {
        for _ in 0..<max(1, iterations / 10) { body() }  // warm-up
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<iterations { body() } }
        return KernelBenchmark.seconds(elapsed)
    }

    static func fastDecode(_ bytes: [UInt8]) throws(JSONReadError) -> Chain {
        var reader = JSONReader(bytes)
        var chain = Chain(symbol: "", expiry: "", spot: 0, rows: [])
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "symbol": chain.symbol = try reader.readString()
            case "expiry": chain.expiry = try reader.readString()
            case "spot": chain.spot = try reader.readDouble()
            case "rows":
                try reader.beginArray()
                while try reader.nextElement() { chain.rows.append(try decodeRow(&reader)) }
            default: try reader.skipValue()
            }
        }
        try reader.end()
        return chain
    }

    static func decodeRow(_ reader: inout JSONReader) throws(JSONReadError) -> Row {
        var row = Row(side: "", strike: 0, ltp: 0, bid: 0, ask: 0, iv: 0, delta: 0, gamma: 0, theta: 0, vega: 0, oi: 0, volume: 0)
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "side": row.side = try reader.readString()
            case "strike": row.strike = Int(try reader.readInt())
            case "ltp": row.ltp = try reader.readDouble()
            case "bid": row.bid = try reader.readDouble()
            case "ask": row.ask = try reader.readDouble()
            case "iv": row.iv = try reader.readDouble()
            case "delta": row.delta = try reader.readDouble()
            case "gamma": row.gamma = try reader.readDouble()
            case "theta": row.theta = try reader.readDouble()
            case "vega": row.vega = try reader.readDouble()
            case "oi": row.oi = Int(try reader.readInt())
            case "volume": row.volume = Int(try reader.readInt())
            default: try reader.skipValue()
            }
        }
        return row
    }

    static func fastEncode(_ chain: Chain) -> [UInt8] {
        var output = JSONOutput(reservingCapacity: 16_384)
        encode(chain, into: &output)
        return output.bytes
    }

    static func encode(_ chain: Chain, into out: inout JSONOutput) {
        out.beginObject()
        out.key("symbol"); out.string(chain.symbol)
        out.key("expiry"); out.string(chain.expiry)
        out.key("spot"); out.double(chain.spot)
        out.key("rows")
        out.beginArray()
        for row in chain.rows {
            out.beginObject()
            out.key("side"); out.string(row.side)
            out.key("strike"); out.int(row.strike)
            out.key("ltp"); out.double(row.ltp)
            out.key("bid"); out.double(row.bid)
            out.key("ask"); out.double(row.ask)
            out.key("iv"); out.double(row.iv)
            out.key("delta"); out.double(row.delta)
            out.key("gamma"); out.double(row.gamma)
            out.key("theta"); out.double(row.theta)
            out.key("vega"); out.double(row.vega)
            out.key("oi"); out.int(row.oi)
            out.key("volume"); out.int(row.volume)
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }
}

/// A benchmark that could not run, with the reason.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
