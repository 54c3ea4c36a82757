import HTTPServerKit
import HTTPTypes
import Testing

@Suite("Bearer token from the Authorization header (RFC 6750 §2.1)")
struct BearerTokenTests {
    private func fields(_ values: [String]) -> HTTPFields {
        HTTPFields(values.map { HTTPField(name: .authorization, value: $0) })
    }

    @Test(
        "the token is taken, whatever the scheme's case",
        arguments: [
            ("Bearer abc.def.ghi", "abc.def.ghi"),
            ("bearer abc.def.ghi", "abc.def.ghi"),
            ("BEARER abc.def.ghi", "abc.def.ghi"),
            ("Bearer   abc-_~+/==  ", "abc-_~+/=="),
        ]
    )
    func accepted(header: String, token: String) throws {
        #expect(try BearerToken.extract(from: fields([header])) == Substring(token))
    }

    @Test("every visible ASCII character is taken in a token exactly when RFC 6750's b64token allows it")
    func everyCharacter() throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".utf8)
        for byte in UInt8(0x21)...UInt8(0x7E) where byte != UInt8(ascii: "=") {
            let token = "a\(Character(Unicode.Scalar(byte)))b"
            if allowed.contains(byte) {
                #expect(try BearerToken.extract(from: fields(["Bearer \(token)"])) == Substring(token))
            } else {
                #expect(
                    throws: BearerChallenge.invalidRequest("The Bearer credential has characters a token cannot have"),
                    "byte \(byte)"
                ) { try BearerToken.extract(from: fields(["Bearer \(token)"])) }
            }
        }
    }

    @Test("in a long token, checked eight bytes at a time, every byte is told apart as in a short one")
    func everyCharacterInALongToken() throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".utf8)
        let filler = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"
        // Every position of an 8-byte block, and bytes past the last whole block.
        for position in [0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 23, 31, 34] {
            for byte in UInt8(0x20)...UInt8(0x7E) {
                var token = Array(filler.utf8)
                token[position] = byte
                let text = String(decoding: token, as: UTF8.self)
                let extracted = { try BearerToken.extract(from: fields(["Bearer \(text)"])) }
                if allowed.contains(byte) {
                    #expect(try extracted() == Substring(text), "byte \(byte) at \(position)")
                } else if byte == UInt8(ascii: " ") && position > 0 {
                    #expect(
                        throws: BearerChallenge.invalidRequest("The Authorization header must hold exactly one Bearer credential"),
                        "byte \(byte) at \(position)"
                    ) { try extracted() }
                } else if byte != UInt8(ascii: " ") {
                    #expect(
                        throws: BearerChallenge.invalidRequest("The Bearer credential has characters a token cannot have"),
                        "byte \(byte) at \(position)"
                    ) { try extracted() }
                }
            }
        }
        let accented = "eyJhbGciOiJSUzI1\u{e9}NiJ9.eyJzdWIiOiJ4In0"
        #expect(throws: BearerChallenge.invalidRequest("The Bearer credential has characters a token cannot have")) {
            try BearerToken.extract(from: fields(["Bearer \(accented)"]))
        }
    }

    @Test("no header, or another scheme, is no bearer credential", arguments: [[], ["Basic dXNlcjpwYXNz"], ["Bearerabc"]])
    func absent(headers: [String]) throws {
        #expect(try BearerToken.extract(from: fields(headers)) == nil)
    }

    @Test(
        "malformed credentials are invalid_request",
        arguments: [
            (["Bearer a", "Bearer b"], "The request has more than one Authorization header"),
            (["Bearer"], "The Bearer credential is empty"),
            (["Bearer    "], "The Bearer credential is empty"),
            (["Bearer a b"], "The Authorization header must hold exactly one Bearer credential"),
            // A second credential is named before a bad character in the first, as the header is
            // split at spaces before its parts are checked.
            (["Bearer a,b c"], "The Authorization header must hold exactly one Bearer credential"),
            (["Bearer === c"], "The Authorization header must hold exactly one Bearer credential"),
            (["Bearer a,b  "], "The Bearer credential has characters a token cannot have"),
            (["Bearer a==b=="], "The Bearer credential has characters a token cannot have"),
            (["Bearer abc\u{e9}"], "The Bearer credential has characters a token cannot have"),
            (["Bearer a,b"], "The Bearer credential has characters a token cannot have"),
            (["Bearer ==="], "The Bearer credential has characters a token cannot have"),
            (["Bearer a=b"], "The Bearer credential has characters a token cannot have"),
            (["Bearer \"abc\""], "The Bearer credential has characters a token cannot have"),
        ]
    )
    func malformed(headers: [String], description: String) {
        #expect(throws: BearerChallenge.invalidRequest(description)) { try BearerToken.extract(from: fields(headers)) }
    }
}

@Suite("WWW-Authenticate: Bearer challenges (RFC 6750 §3)")
struct BearerChallengeTests {
    @Test func noCredentials() {
        #expect(BearerChallenge.credentialsRequired.headerValue == "Bearer")
        #expect(BearerChallenge.credentialsRequired.status == .unauthorized)
    }

    @Test func invalidToken() {
        let challenge = BearerChallenge.invalidToken("The token expired at 2026-11-29T13:00:00Z")
        #expect(challenge.headerValue == #"Bearer error="invalid_token", error_description="The token expired at 2026-11-29T13:00:00Z""#)
        #expect(challenge.status == .unauthorized)
    }

    @Test func insufficientScope() {
        let challenge = BearerChallenge.insufficientScope("Heroes.Write", description: "The token lacks Heroes.Write")
        #expect(
            challenge.headerValue
                == #"Bearer error="insufficient_scope", error_description="The token lacks Heroes.Write", scope="Heroes.Write""#
        )
        #expect(challenge.status == .forbidden)
    }

    @Test func invalidRequestIs400() {
        #expect(BearerChallenge.invalidRequest("x").status == .badRequest)
    }

    @Test("characters RFC 6750 does not allow in error_description are replaced (CRLF as one), never passed through")
    func restrictedCharacters() {
        let challenge = BearerChallenge.invalidToken("a \"quoted\" \\ thing\r\nX-Injected: yes ø")
        #expect(challenge.headerValue == #"Bearer error="invalid_token", error_description="a 'quoted' / thing?X-Injected: yes ?""#)
    }

    @Test("a realm is a quoted-string with escapes")
    func realm() {
        #expect(BearerChallenge(realm: #"he said "hi" \o/"#).headerValue == #"Bearer realm="he said \"hi\" \\o/""#)
    }
}
