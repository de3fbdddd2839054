import Foundation
import Testing

@testable import Platform

/// The Content-Type test of every Kite response must decide as `lowercased().contains("json")` does.
@Suite struct KiteClientEnvelopeTests {
    @Test("mentionsJSON agrees with lowercased().contains(\"json\") for real, random and non-ASCII content types")
    func mentionsJSONMatchesReference() {
        var types = ["application/json", "Application/JSON; charset=utf-8", "text/csv", "", "jso", "JSON", "xjsoN",
                     "application/jsonp", "js on", "application/vnd.api+json", "tëxt/json", "ſjson", "JSÖN", "text/plain"]
        var random = SplitMix64(seed: 7)
        let alphabet = Array("jsonJSON/;= +-ax\u{e9}\u{130}".unicodeScalars)
        for _ in 0..<3_000 {
            let length = Int(random.next(below: 12))
            types.append(String(String.UnicodeScalarView((0..<length).map { _ in alphabet[Int(random.next(below: UInt64(alphabet.count)))] })))
        }
        for type in types {
            #expect(KiteClient.mentionsJSON(type) == type.lowercased().contains("json"), "\(type)")
        }
    }
}
