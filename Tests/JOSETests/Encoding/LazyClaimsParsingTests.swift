import Foundation
import Testing

@testable import JOSE

/// The claims set is validated in full but built lazily: the two must agree.
@Suite("Lazy claims parsing")
struct LazyClaimsParsingTests {
    private func claims(_ text: String) throws(JOSEError) -> JWTClaims {
        try JWTClaims(payload: Array(text.utf8))
    }

    @Test(
        "Every malformed document is refused, wherever the fault is",
        arguments: [
            #"{"a":01}"#, #"{"a":tru}"#, #"{"a":"\x"}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":1"#, #"{"a":[1,]}"#,
            "{\"a\":\"\u{01}\"}", #"{"a":1} x"#, #"{"a":-}"#, #"{"a":1.}"#, #"{"a":"\ud800"}"#, #"{1:2}"#, "",
        ]
    )
    func malformed(_ text: String) {
        #expect(throws: JOSEError.invalidJSON(.payload)) { try claims(text) }
    }

    @Test("Invalid UTF-8 in a skipped value is refused")
    func invalidUTF8() {
        #expect(throws: JOSEError.invalidJSON(.payload)) {
            try JWTClaims(payload: Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        }
        #expect(throws: JOSEError.invalidJSON(.payload)) { try JWTClaims(payload: Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)) }
    }

    @Test(
        "Duplicates are found at the top level, nested, and after unescaping names",
        arguments: [
            #"{"a":1,"b":2,"a":3}"#, #"{"iss":"x","\u0069ss":"y"}"#, #"{"o":{"k":1,"k":2}}"#, #"{"l":[{"k":1,"\u006b":2}]}"#,
        ]
    )
    func duplicates(_ text: String) {
        #expect(throws: JOSEError.duplicateMemberName(.payload)) { try claims(text) }
    }

    @Test("Not an object is reported as such", arguments: ["[]", "1", #""s""#, "null", " [ {} ] "])
    func notAnObject(_ text: String) {
        #expect(throws: JOSEError.notAJSONObject(.payload)) { try claims(text) }
    }

    @Test(
        "Lazy values equal the fully parsed ones",
        arguments: [
            #"{}"#,
            #" { "iss" : "a\"b" , "aud" : [ "x" , "y" ] , "exp" : 1.5e3 , "n" : null , "t" : true , "o" : { "k" : [ 1 , "é" ] } } "#,
            #"{"\u0069ss":"escaped name","sub":"\u00e9\ud83d\ude00","exp":-12}"#,
            #"{"name":"Zoë 😀","num":123456789012345678901234567890}"#,
        ]
    )
    func agreement(_ text: String) throws {
        let lazy = try claims(text)
        let full = try JSONParser.parseObject(Array(text.utf8))
        #expect(lazy.members == full)
        for (name, value) in full { #expect(lazy[name] == value) }
        #expect(lazy["absent"] == nil)
        #expect(lazy.issuer == full["iss"]?.stringValue)
    }
}
