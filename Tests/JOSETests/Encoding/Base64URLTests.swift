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

    @Test("A character outside the alphabet is caught at every position, in the fast and the tail loops")
    func rejectsAtEveryPosition() {
        // 64, 62 and 63 characters: whole quanta only, and each kind of tail.
        for byteCount in [48, 46, 47] {
            let text = Array(Base64URL.encode((0..<byteCount).map { UInt8(truncatingIfNeeded: $0 &* 7) }).utf8)
            let length = text.count
            #expect(Base64URL.decode(String(decoding: text, as: UTF8.self))?.count == byteCount)
            for position in text.indices {
                for intruder in [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "."), 0x00, 0x80, 0xFF] {
                    var broken = text
                    broken[position] = intruder
                    #expect(broken.withUnsafeBufferPointer { Base64URL.decode($0) } == nil, "length \(length), at \(position)")
                }
            }
        }
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

    @Test("The word-at-a-time string scan stops at a quote, backslash, control or non-ASCII byte anywhere")
    func stringScan() throws {
        for position in 0..<40 {
            func document(_ inserted: String) -> String {
                let filler = String(repeating: "x", count: 40)
                return #"{"k":""# + filler.prefix(position) + inserted + filler.dropFirst(position) + #"","n":1}"#
            }
            let plain = String(repeating: "x", count: position) + "é" + String(repeating: "x", count: 40 - position)
            #expect(try parse(document("é")) == .object(["k": .string(plain), "n": .number(1)]))
            #expect(try JWTClaims(payload: Array(document("é").utf8))["k"] == .string(plain))
            let escaped = String(repeating: "x", count: position) + "\"" + String(repeating: "x", count: 40 - position)
            #expect(try parse(document(#"\""#)) == .object(["k": .string(escaped), "n": .number(1)]))
            #expect(try JWTClaims(payload: Array(document(#"\""#).utf8))["k"] == .string(escaped))
            for refused in ["\u{01}", "\u{1F}", "\t", "\n"] {
                #expect(throws: JSONParser.Failure.malformed) { try parse(document(refused)) }
                #expect(throws: JOSEError.invalidJSON(.payload)) { try JWTClaims(payload: Array(document(refused).utf8)) }
            }
            var invalidUTF8 = Array(document("_").utf8)
            invalidUTF8[invalidUTF8.firstIndex(of: UInt8(ascii: "_"))!] = 0xC3
            #expect(throws: JSONParser.Failure.malformed) { try JSONParser.parse(invalidUTF8) }
            #expect(throws: JOSEError.invalidJSON(.payload)) { try JWTClaims(payload: invalidUTF8) }
        }
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
