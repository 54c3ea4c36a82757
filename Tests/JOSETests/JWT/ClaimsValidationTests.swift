import Foundation
import Testing

@testable import JOSE

/// JWT claims: types, times with leeway, issuer and audience.
@Suite("JWT claims validation")
struct ClaimsValidationTests {
    static let issuer = "https://issuer.example"
    let validator: JWTValidator = JWTValidator(
        verifier: JWSVerifier(allowedAlgorithms: [.rs256]),
        policy: ClaimsPolicy(acceptedIssuers: [Self.issuer], acceptedAudiences: ["api://resource", "client-id"])
    )
    let now: Date = TestClock.now
    var t: Int { Int(now.timeIntervalSince1970) }

    private func token(_ claims: String) throws -> String {
        try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1","typ":"JWT"}"#, payload: claims, with: TestKeys.rsa)
    }

    private func validate(_ claims: String, with validator: JWTValidator? = nil, at time: Date? = nil) throws(JOSEError) -> VerifiedJWT {
        let token: String
        do { token = try self.token(claims) } catch { fatalError("signing failed") }
        return try (validator ?? self.validator).validate(token, keys: TestKeys.rsaSet, now: time ?? now)
    }

    @Test("A valid token passes, with typed and raw claims")
    func valid() throws {
        let verified = try validate(TokenForge.claims(extra: #","tid":"t1","roles":["a","b"]"#))
        #expect(verified.claims.issuer == Self.issuer)
        #expect(verified.claims.audience == ["api://resource"])
        #expect(verified.claims.expiration == Date(timeIntervalSince1970: Double(t + 3600)))
        #expect(verified.claims["roles"] == ["a", "b"])
        struct Entra: Decodable {
            let tid: String
            let roles: [String]
        }
        let decoded = try verified.claims.decode(Entra.self)
        #expect(decoded.tid == "t1" && decoded.roles == ["a", "b"])
        #expect(throws: JOSEError.claimsDecodingFailed) { try verified.claims.decode([Int].self) }
    }

    @Test("exp, nbf and iat must be JSON numbers", arguments: ["exp", "nbf", "iat"], [#""1796000000""#, "true", "null", "[1]"])
    func numericDates(claim: String, value: String) throws {
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 60),"\#(claim)":\#(value)}"#
            .replacingOccurrences(of: #""exp":\#(t + 60),"exp""#, with: #""exp""#)
        #expect(throws: JOSEError.invalidClaimType(name: claim)) { try validate(claims) }
    }

    @Test("sub and jti must be strings, though they are built only when read", arguments: ["sub", "jti"], ["1", "null", "[\"a\"]"])
    func stringClaims(claim: String, value: String) throws {
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 60),"\#(claim)":\#(value)}"#
        #expect(throws: JOSEError.invalidClaimType(name: claim)) { try validate(claims) }
        let valid = try validate(#"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 60),"\#(claim)":"x\u00e9"}"#)
        #expect((claim == "sub" ? valid.claims.subject : valid.claims.jwtID) == "xé")
    }

    @Test("Fractional NumericDates are accepted")
    func fractional() throws {
        let verified = try validate(#"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 60).5}"#)
        #expect(verified.claims.expiration == Date(timeIntervalSince1970: Double(t + 60) + 0.5))
    }

    @Test("exp is required unless the caller opts out")
    func expRequired() throws {
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id"}"#
        #expect(throws: JOSEError.missingClaim(name: "exp")) { try validate(claims) }
        var lenient = validator
        lenient.policy.requireExpiration = false
        _ = try validate(claims, with: lenient)
    }

    @Test("exp honours the leeway (default 300 s) and no more")
    func expiry() throws {
        #expect(ClaimsPolicy(acceptedIssuers: [], acceptedAudiences: []).leeway == 300)
        let exp = t - 100
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(exp)}"#
        _ = try validate(claims)  // expired 100 s ago: inside the 300 s leeway
        let later = now.addingTimeInterval(200)  // now exactly exp + 300
        #expect(throws: JOSEError.expired(at: Date(timeIntervalSince1970: Double(exp)))) { try validate(claims, at: later) }
        var strict = validator
        strict.policy.leeway = 0
        #expect(throws: JOSEError.expired(at: Date(timeIntervalSince1970: Double(exp)))) { try validate(claims, with: strict) }
    }

    @Test("nbf honours the leeway")
    func notBefore() throws {
        let nbf = t + 200
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 3600),"nbf":\#(nbf)}"#
        _ = try validate(claims)
        #expect(throws: JOSEError.notYetValid(until: Date(timeIntervalSince1970: Double(nbf)))) {
            try validate(claims, at: now.addingTimeInterval(-101))
        }
    }

    @Test("An iat far in the future is rejected")
    func issuedInFuture() throws {
        let claims = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 7200),"iat":\#(t + 3000)}"#
        #expect(throws: JOSEError.issuedInTheFuture(at: Date(timeIntervalSince1970: Double(t + 3000)))) { try validate(claims) }
        _ = try validate(claims.replacingOccurrences(of: "\(t + 3000)", with: "\(t + 250)"))
    }

    @Test(
        "iss is compared exactly",
        arguments: [
            "https://issuer.example/", "HTTPS://ISSUER.EXAMPLE", "https://issuer.example ", "https://issuer.example.evil",
        ]
    )
    func issuer(_ iss: String) throws {
        let claims = #"{"iss":"\#(iss)","aud":"client-id","exp":\#(t + 60)}"#
        #expect(throws: JOSEError.issuerNotAccepted) { try validate(claims) }
    }

    @Test("iss is required and must be a string")
    func issuerPresence() throws {
        #expect(throws: JOSEError.missingClaim(name: "iss")) { try validate(#"{"aud":"client-id","exp":\#(t + 60)}"#) }
        #expect(throws: JOSEError.invalidClaimType(name: "iss")) { try validate(#"{"iss":1,"aud":"client-id","exp":\#(t + 60)}"#) }
    }

    @Test(
        "aud as string or array, matched against the accepted list",
        arguments: [
            (#""client-id""#, true), (#"["other","client-id"]"#, true), (#"["api://resource"]"#, true),
            (#""other""#, false), (#"["other","CLIENT-ID"]"#, false), ("[]", false),
        ]
    )
    func audience(aud: String, accepted: Bool) throws {
        let claims = #"{"iss":"\#(Self.issuer)","aud":\#(aud),"exp":\#(t + 60)}"#
        if accepted {
            _ = try validate(claims)
        } else {
            let error = joseError { _ = try validate(claims) }
            #expect(error == .audienceNotAccepted || (aud == "[]" && error == .missingClaim(name: "aud")))
        }
    }

    @Test("aud is required and typed", arguments: ["1", #"[1]"#, #"{"a":"b"}"#])
    func audienceType(_ aud: String) throws {
        #expect(throws: JOSEError.missingClaim(name: "aud")) { try validate(#"{"iss":"\#(Self.issuer)","exp":\#(t + 60)}"#) }
        #expect(throws: JOSEError.invalidClaimType(name: "aud")) {
            try validate(#"{"iss":"\#(Self.issuer)","aud":\#(aud),"exp":\#(t + 60)}"#)
        }
    }

    @Test("The JWT payload must be a JSON object without duplicate members")
    func payloadShape() throws {
        #expect(throws: JOSEError.notAJSONObject(.payload)) { try validate("[1,2]") }
        #expect(throws: JOSEError.invalidJSON(.payload)) { try validate("not json") }
        let duplicated = #"{"iss":"https://evil.example","aud":"client-id","exp":\#(t + 60),"iss":"\#(Self.issuer)"}"#
        #expect(throws: JOSEError.duplicateMemberName(.payload)) { try validate(duplicated) }
        let nested = #"{"iss":"\#(Self.issuer)","aud":"client-id","exp":\#(t + 60),"x":[{"a":1,"a":2}]}"#
        #expect(throws: JOSEError.duplicateMemberName(.payload)) { try validate(nested) }
    }

    @Test("typ can be restricted (RFC 8725 explicit typing)")
    func typeRestriction() throws {
        var typed = validator
        typed.acceptedTypes = ["at+jwt"]
        let claims = TokenForge.claims()
        #expect(throws: JOSEError.typeNotAccepted) { try validate(claims, with: typed) }
        typed.acceptedTypes = ["application/JWT"]
        _ = try validate(claims, with: typed)
    }

    @Test("Error descriptions are precise and never echo the token")
    func descriptions() throws {
        let error = JOSEError.expired(at: Date(timeIntervalSince1970: 1_796_562_000))
        #expect(error.description == "The token expired at 2026-12-06T13:00:00Z")
        let secret = "SECRET-CLAIM-VALUE"
        let claims = #"{"iss":"\#(secret)","aud":"\#(secret)","exp":\#(t + 60)}"#
        let thrown = joseError { _ = try validate(claims) }
        #expect(thrown == .issuerNotAccepted)
        #expect(!String(describing: thrown!).contains(secret))
        let token = try self.token(claims)
        for candidate in [thrown!, .invalidBase64URL(.header), .unsupportedAlgorithm, .noMatchingKey] {
            #expect(!candidate.description.contains(token) && !candidate.description.contains(secret))
        }
    }
}
