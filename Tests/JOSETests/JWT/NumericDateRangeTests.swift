import Foundation
import Testing

@testable import JOSE

/// NumericDate claims (RFC 7519 §2) of signed tokens: finite, in a sane range, and never a
/// reason for the validator to trap, whatever number the sender wrote.
@Suite("NumericDate claims out of range")
struct NumericDateRangeTests {
    let validator = JWTValidator(
        verifier: JWSVerifier(allowedAlgorithms: [.rs256]),
        policy: ClaimsPolicy(acceptedIssuers: ["https://issuer.example"], acceptedAudiences: ["api://resource"])
    )

    private func validate(_ extra: String, replacing claim: String) throws(JOSEError) -> VerifiedJWT {
        let t = Int(TestClock.now.timeIntervalSince1970)
        var members = ["\"iss\":\"https://issuer.example\"", "\"aud\":\"api://resource\"", "\"sub\":\"user\""]
        for (name, value) in [("iat", t - 10), ("nbf", t - 10), ("exp", t + 3600)] where name != claim {
            members.append("\"\(name)\":\(value)")
        }
        members.append(extra)
        let token: String
        do {
            token = try TokenForge.sign(
                header: #"{"alg":"RS256","kid":"rsa-1","typ":"JWT"}"#,
                payload: "{" + members.joined(separator: ",") + "}",
                with: TestKeys.rsa
            )
        } catch {
            fatalError("signing failed")
        }
        return try validator.validate(token, keys: TestKeys.rsaSet, now: TestClock.now)
    }

    @Test(
        "absurd dates are refused, not trapped on and not taken as absent",
        arguments: [
            ("nbf", "1e300"), ("nbf", "1e400"), ("iat", "-1e999"), ("iat", "1e300"), ("exp", "1e300"), ("exp", "-1e300"),
            ("exp", "1e400"), ("nbf", "-62135596801"), ("exp", "253402300800"), ("nbf", "9223372036854775808"),
        ]
    )
    func refused(claim: String, number: String) {
        #expect(throws: JOSEError.self) { try validate("\"\(claim)\":\(number)", replacing: claim) }
    }

    @Test("the last second of year 9999 is still a date; fractions are allowed")
    func bounds() throws {
        #expect(try validate("\"exp\":253402300799", replacing: "exp").claims.expiration == Date(timeIntervalSince1970: 253_402_300_799))
        #expect(try validate("\"exp\":1796003600.5", replacing: "exp").claims.expiration == Date(timeIntervalSince1970: 1_796_003_600.5))
    }

    @Test("an error's text can show any date the sender could make it carry")
    func errorTextNeverTraps() {
        for seconds in [-62_135_596_800, -1, 0, 253_402_300_799, 1_796_000_000.75] {
            #expect(!NumericDate.iso8601(Date(timeIntervalSince1970: seconds)).isEmpty)
        }
        #expect(NumericDate.iso8601(Date(timeIntervalSince1970: 1e300)) == "(out of range)")
        #expect(NumericDate.iso8601(Date(timeIntervalSince1970: -.infinity)) == "(out of range)")
    }
}
