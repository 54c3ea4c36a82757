import Crypto
import Foundation
import JOSE
import Logging
import TestSupport
import Testing

@testable import AccessTokenAuth

@Suite("Access token validation")
struct AccessTokenValidatorTests {
    let clock = ManualClock()
    let authority = FakeAuthority(keys: [TestKeys.primary])

    func validator(_ mode: AccessTokenPolicy.IssuerMode? = nil) -> AccessTokenValidator {
        makeValidator(authority, clock: clock, mode: mode)
    }

    var claims: [String: JSONValue] { TestTokens.v2Claims(now: clock.date) }

    private func expectRefused(_ token: String, _ reason: String, validator: AccessTokenValidator? = nil) async {
        let validator = validator ?? self.validator()
        // The text the WWW-Authenticate header carries.
        await #expect {
            try await validator.validate(token[...])
        } throws: { error in
            (error as? AccessTokenError)?.description == reason
        }
    }

    @Test("a v2 delegated token gives its caller, scopes included")
    func validV2() async throws {
        let principal = try await validator().validate(TestTokens.sign(claims)[...])
        #expect(principal.objectID == "00000000-0000-0000-0000-0000000000aa")
        #expect(principal.tenantID == FakeAuthority.tenantID)
        #expect(principal.clientID == FakeAuthority.clientAppID)
        #expect(principal.scopes == ["Heroes.Read", "Heroes.Write"])
        #expect(principal.roles == [])
        #expect(principal.name == "Demo Hero")
    }

    @Test(
        "scp is split at each space and only there (RFC 6749 §3.3)",
        arguments: [
            ("Heroes.Read Heroes.Write", ["Heroes.Read", "Heroes.Write"]),
            ("  Heroes.Read   Heroes.Write ", ["Heroes.Read", "Heroes.Write"]),
            ("", []),
            ("   ", []),
            ("a a", ["a"]),
            ("a\tb", ["a\tb"]),
            // A combining mark after a space is one Character with it, but the space still
            // delimits: scopes are bytes, not text.
            ("x \u{301}y", ["x", "\u{301}y"]),
            ("Héroes.Lire Heroes.Read", ["Héroes.Lire", "Heroes.Read"]),
        ] as [(String, Set<String>)]
    )
    func scopes(scp: String, expected: Set<String>) async throws {
        #expect(Principal.scopes(scp) == expected)
        let token = TestTokens.sign(claims) { $0["scp"] = .string(scp) }
        #expect(try await validator().validate(token[...]).scopes == expected)
    }

    @Test("principals are equal, and hash alike, by their claims, not by the object holding them")
    func principalEquality() {
        func principal(_ change: (inout [String?]) -> Void = { _ in }) -> Principal {
            var texts: [String?] = ["oid", "tid", "azp", "Heroes.Read", "Heroes.Admin", "Ada", "sub"]
            change(&texts)
            return Principal(
                objectID: texts[0],
                tenantID: texts[1],
                clientID: texts[2],
                scopes: Set([texts[3]].compactMap { $0 }),
                roles: Set([texts[4]].compactMap { $0 }),
                name: texts[5],
                subject: texts[6]
            )
        }
        let one = principal()
        let other = principal()
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(Set([one, other]).count == 1)
        for index in 0..<7 {
            #expect(principal { $0[index] = "other" } != one, "claim \(index)")
            #expect(principal { $0[index] = nil } != one, "claim \(index) missing")
        }
        #expect(one.objectID == "oid" && one.tenantID == "tid" && one.clientID == "azp")
        #expect(one.scopes == ["Heroes.Read"] && one.roles == ["Heroes.Admin"])
        #expect(one.name == "Ada" && one.subject == "sub")
    }

    @Test("a v1 token (sts.windows.net issuer, api:// audience, appid) is accepted for the public Entra host")
    func validV1() async throws {
        let token = TestTokens.sign(claims) {
            $0["iss"] = .string("https://sts.windows.net/\(FakeAuthority.tenantID)/")
            $0["aud"] = .string("api://\(FakeAuthority.apiClientID)")
            $0["ver"] = "1.0"
            $0["azp"] = nil
            $0["appid"] = .string(FakeAuthority.clientAppID)
        }
        let principal = try await validator().validate(token[...])
        #expect(principal.clientID == FakeAuthority.clientAppID)
    }

    @Test("an app-only token carries roles")
    func appOnly() async throws {
        let token = TestTokens.sign(claims) {
            $0["scp"] = nil
            $0["roles"] = ["Heroes.Read", "Heroes.Write"]
        }
        let principal = try await validator().validate(token[...])
        #expect(principal.roles == ["Heroes.Read", "Heroes.Write"])
        #expect(principal.holds("Heroes.Write") && !principal.holds("Heroes.Delete"))
    }

    @Test("the audience array form is accepted when it holds our API")
    func audienceArray() async throws {
        let token = TestTokens.sign(claims) { $0["aud"] = ["something-else", .string(FakeAuthority.apiClientID)] }
        _ = try await validator().validate(token[...])
    }

    @Test("a token for another API is refused")
    func otherAudience() async {
        await expectRefused(
            TestTokens.sign(claims) { $0["aud"] = .string(FakeAuthority.otherAPIClientID) },
            "The token audience is not accepted"
        )
    }

    @Test("an ID token (audience: the client app) is refused")
    func idToken() async {
        let token = TestTokens.sign(claims) {
            $0["aud"] = .string(FakeAuthority.clientAppID)
            $0["nonce"] = "n-0S6_WzA2Mj"
            $0["scp"] = nil
        }
        await expectRefused(token, "The token audience is not accepted")
    }

    @Test(
        "another issuer is refused",
        arguments: [
            "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            "https://evil.example/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/v2.0",
            "https://login.microsoftonline.com/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/v2.0/",
        ]
    )
    func wrongIssuer(issuer: String) async {
        await expectRefused(TestTokens.sign(claims) { $0["iss"] = .string(issuer) }, "The token issuer is not accepted")
    }

    @Test("tid must be the configured tenant")
    func wrongTenant() async {
        await expectRefused(
            TestTokens.sign(claims) { $0["tid"] = "00000000-0000-0000-0000-000000000001" },
            "The token was issued for another tenant"
        )
        await expectRefused(TestTokens.sign(claims) { $0["tid"] = nil }, "The token has no tid claim")
    }

    @Test("exact issuer mode compares iss exactly and does not demand tid")
    func exactMode() async throws {
        let validator = validator(.exact(issuer: authority.issuer))
        _ = try await validator.validate(TestTokens.sign(claims) { $0["tid"] = nil }[...])
        await expectRefused(
            TestTokens.sign(claims) { $0["iss"] = .string("https://sts.windows.net/\(FakeAuthority.tenantID)/") },
            "The token issuer is not accepted",
            validator: validator
        )
    }

    @Test("lifetime: expired, not yet valid, missing exp, iat in the future")
    func lifetime() async {
        let now = clock.date.timeIntervalSince1970.rounded(.down)
        let expiredAt = Date(timeIntervalSince1970: now - 301)
        await expectRefused(
            TestTokens.sign(claims) { $0["exp"] = .number(now - 301) },
            "The token expired at \(expiredAt.formatted(.iso8601))"
        )
        await expectRefused(
            TestTokens.sign(claims) { $0["nbf"] = .number(now + 301) },
            "The token is not valid before \(Date(timeIntervalSince1970: now + 301).formatted(.iso8601))"
        )
        await expectRefused(TestTokens.sign(claims) { $0["exp"] = nil }, "The token has no exp claim")
        await expectRefused(
            TestTokens.sign(claims) { $0["iat"] = .number(now + 3600) },
            "The token was issued in the future, at \(Date(timeIntervalSince1970: now + 3600).formatted(.iso8601))"
        )
    }

    @Test("the 300-second leeway accepts a token that expired a moment ago")
    func leeway() async throws {
        let now = clock.date.timeIntervalSince1970.rounded(.down)
        _ = try await validator().validate(TestTokens.sign(claims) { $0["exp"] = .number(now - 60) }[...])
    }

    @Test("exp as a string is refused")
    func expAsString() async {
        await expectRefused(TestTokens.sign(claims) { $0["exp"] = "9999999999" }, "The token exp claim has the wrong type")
    }
}
