import Foundation
import Testing

@testable import JOSE

@Suite("Base64URL")
struct Base64URLTests {
    @Test("Round trips every length and byte value")
    func roundTrip() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
        }
        // RFC 4648 §10 test vectors, unpadded.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test(
        "Rejects anything but canonical unpadded base64url",
        arguments: [
            "Zg==", "Zm8=", "Z", "Zm9vY", "+/8", "Zm 9v", "Zm9v\n", " Zm9v", "Zm9v=", "Zh", "Zm9", "Zm\u{00E9}v", "Zm9v\0",
        ]
    )
    func rejects(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite("Strict JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test(
        "Accepts RFC 8259 JSON",
        arguments: [
            #"{}"#, #"[]"#, #" {"a" : [1, -0.5, 1e3, 2E-2, true, false, null, "x"]} "#, "\t{\r\n}",
            #""\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\""#,
        ]
    )
    func accepts(_ text: String) throws {
        _ = try parse(text)
    }

    @Test("Unescapes strings and surrogate pairs")
    func unescapes() throws {
        #expect(try parse(#""\u00e9\ud83d\ude00\/""#) == .string("é😀/"))
        #expect(try parse(#"{"a":1.5e1}"#) == ["a": 15])
    }

    @Test(
        "Rejects what RFC 8259 does not allow",
        arguments: [
            "", "{", #"{"a":1,}"#, "[1,]", "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity", "'a'", #"{a:1}"#,
            "// c\n{}", "{} {}", "\"\u{01}\"", #""\x41""#, #""\ud800""#, #""\udc00""#, "tru", "nul", "[1 2]",
        ]
    )
    func rejects(_ text: String) {
        #expect(throws: JSONParser.Failure.malformed) { try parse(text) }
    }

    @Test("Rejects invalid UTF-8 and excessive depth")
    func limits() {
        #expect(throws: JSONParser.Failure.malformed) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: JSONParser.Failure.malformed) { try parse(deep) }
        let fine = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test("Duplicate names are found anywhere, after unescaping")
    func duplicates() {
        for text in [#"{"a":1,"a":1}"#, #"{"x":{"b":1,"b":2}}"#, #"[{"c":1,"\u0063":2}]"#] {
            #expect(throws: JSONParser.Failure.duplicateMember) { try parse(text) }
        }
    }

    @Test("Serialization is compact, sorted and escaped")
    func serialization() {
        let value: JSONValue = ["b": [1, 2.5, true, nil], "a": "q\"\\\n\u{01}", "c": 1_796_000_000]
        let text = String(decoding: value.serialized(), as: UTF8.self)
        #expect(text == #"{"a":"q\"\\\n\u0001","b":[1,2.5,true,null],"c":1796000000}"#)
    }

    @Test(
        "ISO 8601 formatting of NumericDates",
        arguments: [
            (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
            (1_796_000_000, "2026-11-30T00:53:20Z"), (4_102_444_800, "2100-01-01T00:00:00Z"),
        ]
    )
    func iso8601(seconds: Double, text: String) {
        #expect(NumericDate.iso8601(Date(timeIntervalSince1970: seconds)) == text)
    }
}
