import Crypto
import Foundation
import JOSE
import Logging
import OIDCClient
import OIDCCore
import TestSupport
import Testing

/// A sign-in against a fake provider whose token endpoint answers with a crafted ID token.
@Suite("ID tokens that must be refused (OIDC Core 3.1.3.7), with nothing stored")
struct IDTokenTests {
    static let clientID = FakeAuthority.clientAppID

    struct Setup {
        let provider = FakeAuthority(keys: [TestKeys.primary])
        let signIn: SignIn

        init() async throws {
            let metadata = try await ProviderMetadata.fetch(issuer: provider.issuer, tenantID: FakeAuthority.tenantID, httpClient: provider)
            let logger = Logger(label: "test")
            let endpoint = TokenEndpoint(
                metadata: metadata,
                credentials: ClientCredentials(clientID: IDTokenTests.clientID, clientSecret: "secret"),
                httpClient: provider
            )
            let keys = JWKSCache(source: .jwksURI(metadata.jwksURI), httpClient: provider, logger: logger)
            signIn = SignIn(
                metadata: metadata,
                redirectURI: "http://localhost:8000/auth/callback",
                scopes: ["openid"],
                tokenEndpoint: endpoint,
                idTokens: IDTokenValidator(issuer: metadata.issuer, clientID: IDTokenTests.clientID, keys: keys),
                cache: TokenCache(file: nil, logger: logger) { _, _ async throws(TokenEndpointError) in
                    throw TokenEndpointError(error: "unused", description: "")
                },
                logger: logger
            )
        }

        /// Runs a sign-in whose token response carries `idToken`.
        func finish(idToken: (String) -> String) async -> Result<SignInResult, SignInError> {
            let url: URL
            let binding: String
            do {
                (url, binding) = try await signIn.start()
            } catch {
                return .failure(.unknownState)  // A fresh store is never full.
            }
            let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let state = query.first { $0.name == "state" }?.value ?? ""
            let nonce = query.first { $0.name == "nonce" }?.value ?? ""
            let body = JSONValue.object([
                "access_token": "opaque-access-token", "token_type": "Bearer", "expires_in": 3600, "id_token": .string(idToken(nonce)),
            ])
            provider.setTokenResponse(Data(body.serialized()))
            do {
                return .success(try await signIn.finish(["state": state, "code": "a-code"], browserBinding: binding))
            } catch {
                return .failure(error)
            }
        }
    }

    static func claims(nonce: String, now: Date = Date()) -> [String: JSONValue] {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        return [
            "aud": .string(clientID),
            "iss": .string(EntraAuthority(host: EntraAuthority.publicCloudHost, tenantID: FakeAuthority.tenantID).issuer),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(issuedAt + 3600), "nonce": .string(nonce),
            "sub": "pairwise", "oid": "00000000-0000-0000-0000-0000000000aa", "tid": .string(FakeAuthority.tenantID), "name": "Demo Hero",
            "preferred_username": "hero@localentra.dev", "ver": "2.0",
        ]
    }

    @Test("a valid ID token signs in, and an opaque access token shows no claims")
    func valid() async throws {
        let setup = try await Setup()
        let result = try await setup.finish { nonce in TestTokens.sign(Self.claims(nonce: nonce)) }.get()
        #expect(result.idTokenClaims["name"] == "Demo Hero")
        #expect(result.accessTokenClaims == nil)
        #expect(await setup.signIn.cache.currentAccount != nil)
    }

    @Test("aud as an array holding only this client is accepted")
    func audienceArray() async throws {
        let setup = try await Setup()
        _ = try await setup.finish { nonce in TestTokens.sign(Self.claims(nonce: nonce)) { $0["aud"] = [.string(Self.clientID)] } }.get()
    }

    @Test(
        "refused",
        arguments: [
            "wrong iss", "no iss", "wrong aud", "extra aud", "no aud", "wrong nonce", "no nonce", "wrong azp", "expired", "no exp",
            "no iat", "old iat", "future iat", "no sub", "bad signature", "alg none", "unknown kid", "foreign key", "HS256 with public key",
        ]
    )
    func refused(mutation: String) async throws {
        let setup = try await Setup()
        let outcome = await setup.finish { nonce in
            let now = Date().timeIntervalSince1970.rounded(.down)
            var claims = Self.claims(nonce: nonce)
            switch mutation {
            case "wrong iss": claims["iss"] = .string("https://login.microsoftonline.com/\(FakeAuthority.tenantID)/v2.01")
            case "no iss": claims["iss"] = nil
            case "wrong aud": claims["aud"] = .string(Self.clientID + "1")
            case "extra aud": claims["aud"] = [.string(Self.clientID), .string(Self.clientID + "1")]
            case "no aud": claims["aud"] = nil
            case "wrong nonce": claims["nonce"] = .string(nonce + "1")
            case "no nonce": claims["nonce"] = nil
            case "wrong azp": claims["azp"] = "another-client"
            case "expired": claims["exp"] = .number(now - 360)
            case "no exp": claims["exp"] = nil
            case "no iat": claims["iat"] = nil
            case "old iat": claims["iat"] = .number(now - 7 * 24 * 3600)
            case "future iat": claims["iat"] = .number(now + 3600)
            case "no sub": claims["sub"] = nil
            default: break
            }
            switch mutation {
            case "bad signature":
                let token = TestTokens.sign(claims)
                var parts = token.split(separator: ".").map(String.init)
                var signature = Base64URL.decode(parts[2])!
                for index in signature.indices { signature[index] ^= 0x5A }
                parts[2] = Base64URL.encode(signature)
                return parts.joined(separator: ".")
            case "alg none":
                return TestTokens.raw(header: ["alg": "none", "typ": "JWT"], claims: claims) { _ in [] }
            case "unknown kid":
                return TestTokens.sign(claims, key: TestKeys.rotated)
            case "foreign key":
                return TestTokens.sign(claims, key: TestKeys.attacker)
            case "HS256 with public key":
                let key = SymmetricKey(data: TestKeys.primary.publicJWK.jsonData())
                return TestTokens.raw(header: ["alg": "HS256", "typ": "JWT", "kid": "key-1"], claims: claims) { input in
                    Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
                }
            default:
                return TestTokens.sign(claims)
            }
        }
        guard case .failure(.idToken(let error)) = outcome else {
            Issue.record("expected an ID-token refusal, got \(outcome)")
            return
        }
        #expect(Self.isExpectedCause(error, of: mutation), "\(mutation) was refused for another reason: \(error)")
        #expect(await setup.signIn.cache.currentAccount == nil, "nothing is stored")
    }

    /// The typed cause each mutation must be refused for: the errors say which check failed.
    static func isExpectedCause(_ error: IDTokenError, of mutation: String) -> Bool {
        switch (mutation, error) {
        case ("wrong iss", .invalidToken(.issuerNotAccepted)), ("no iss", .invalidToken(.missingClaim(name: "iss"))),
            ("wrong aud", .invalidToken(.audienceNotAccepted)), ("no aud", .invalidToken(.missingClaim(name: "aud"))),
            ("extra aud", .severalAudiencesWithoutAuthorizedParty), ("wrong nonce", .nonceMismatch), ("no nonce", .missingNonce),
            ("wrong azp", .authorizedPartyMismatch), ("expired", .invalidToken(.expired)),
            ("no exp", .invalidToken(.missingClaim(name: "exp"))), ("no iat", .missingIssuedAt), ("old iat", .tooOld),
            ("future iat", .invalidToken(.issuedInTheFuture)), ("no sub", .missingSubject),
            ("bad signature", .invalidToken(.signatureInvalid)), ("alg none", .invalidToken(.unsecuredTokenRejected)),
            ("unknown kid", .invalidToken(.noMatchingKey)), ("foreign key", .invalidToken(.signatureInvalid)),
            ("HS256 with public key", .invalidToken(.unsupportedAlgorithm)):
            true
        default:
            false
        }
    }

    @Test("without kid: verified with the provider's only key, refused when there are several")
    func missingKeyID() async throws {
        let setup = try await Setup()
        let unnamed = try RSASigningKey(privateKey: TestKeys.primary.privateKey, keyID: nil)
        _ = try await setup.finish { nonce in TestTokens.sign(Self.claims(nonce: nonce), key: unnamed) }.get()

        let crowded = try await Setup()
        let keys = [TestKeys.primary, try RSASigningKey(privateKey: TestKeys.rotated.privateKey, keyID: "key-2")]
        crowded.provider.publish(JWKSet(publicKeysOf: keys))
        let outcome = await crowded.finish { nonce in TestTokens.sign(Self.claims(nonce: nonce), key: unnamed) }
        guard case .failure(.idToken(.invalidToken(.ambiguousKey))) = outcome else {
            Issue.record("expected a refusal for several candidate keys, got \(outcome)")
            return
        }
    }
}
