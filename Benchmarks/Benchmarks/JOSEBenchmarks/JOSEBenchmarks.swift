import Benchmark
import Crypto
import CryptoExtras
import Foundation
import JOSE
import JWTKit

// One Entra-shaped v2 access token (RS256, 2048-bit key, kid/x5t/typ header, realistic
// claims), verified three ways: our JOSE, a bare swift-crypto RSA verify of the same
// signature (the floor), and vapor/jwt-kit 5.

/// Everything the benchmarks share, built once outside the measured loops.
struct Fixture: @unchecked Sendable {
    let token: String
    let keys: JWKSet
    let verifier: JWSVerifier
    let validator: JWTValidator
    let now: Date
    let bareKey: _RSA.Signing.PublicKey
    let signingInput: [UInt8]
    let signature: _RSA.Signing.RSASignature
    let jwtKit: JWTKeyCollection

    static let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    static let client = "6e74172b-be56-4843-9ff4-e66a39bb12e3"

    static func make() async throws -> Fixture {
        let kid = "nOo3ZDrODXEK1jKWhXslHR_KXEg"
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let signer = try RSASigningKey(privateKey: rsa, keyID: kid)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let claims = try JWTClaims(
            issuer: "https://login.microsoftonline.com/\(tenant)/v2.0",
            subject: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
            audience: [client],
            expiration: now.addingTimeInterval(3600),
            notBefore: now.addingTimeInterval(-60),
            issuedAt: now.addingTimeInterval(-60),
            additional: [
                "aio": "AUQAu/8TAAAAz8jYoBBXmHYrsIyTQ4ZJDv6+r2cHGe9q7Y1ZbNQ7zLT0v1O6+3CpWiEOUfeHy9X6QxQZQOw==",
                "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "azpacr": "0",
                "name": "Abe Lincoln", "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474",
                "preferred_username": "abeli@microsoft.com",
                "rh": "0.AXEAv4j5cvGGr0GRqy180BHbRyt3dG5WvkNIn_TmajnEEuNxAJE.",
                "scp": "access_as_user User.Read", "tid": .string(tenant),
                "uti": "fqiBqXLPj0eQa82S-IYFAA", "ver": "2.0",
            ]
        )
        let token = try signer.sign(claims: claims, header: ["x5t": .string(kid)])
        let keys = try JWKSet(jsonData: JWKSet(keys: [signer.publicJWK]).jsonData())
        let verifier = JWSVerifier(allowedAlgorithms: [.rs256])
        let validator = JWTValidator(
            verifier: verifier,
            policy: ClaimsPolicy(
                acceptedIssuers: ["https://login.microsoftonline.com/\(tenant)/v2.0"],
                acceptedAudiences: [client]
            )
        )

        let parts = token.split(separator: ".")
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let signature = _RSA.Signing.RSASignature(rawRepresentation: Base64URL.decode(String(parts[2]))!)

        let jwtKit = JWTKeyCollection()
        await jwtKit.add(
            rsa: try Insecure.RSA.PublicKey(pem: rsa.publicKey.pemRepresentation),
            digestAlgorithm: .sha256,
            kid: JWKIdentifier(string: kid)
        )
        return Fixture(
            token: token,
            keys: keys,
            verifier: verifier,
            validator: validator,
            now: now,
            bareKey: rsa.publicKey,
            signingInput: signingInput,
            signature: signature,
            jwtKit: jwtKit
        )
    }
}

/// The claims jwt-kit decodes and checks (its payload must verify its own claims).
struct EntraAccessToken: JWTPayload {
    let iss: IssuerClaim
    let aud: AudienceClaim
    let exp: ExpirationClaim
    let nbf: NotBeforeClaim
    let iat: IssuedAtClaim
    let tid: String
    let oid: String
    let scp: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        // Same checks as our ClaimsPolicy, at the same fixed time.
        guard iss.value == "https://login.microsoftonline.com/\(Fixture.tenant)/v2.0" else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer")
        }
        try aud.verifyIntendedAudience(includes: Fixture.client)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        try exp.verifyNotExpired(currentDate: now.addingTimeInterval(-300))
        try nbf.verifyNotBefore(currentDate: now.addingTimeInterval(300))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        maxDuration: .seconds(3),
        maxIterations: 200_000
    )

    let setup: @Sendable () async throws -> Fixture = { try await Fixture.make() }

    Benchmark(
        "Bare CryptoExtras RS256 verify (SHA-256 + RSA)",
        closure: { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                let digest = SHA256.hash(data: fixture.signingInput)
                blackHole(fixture.bareKey.isValidSignature(fixture.signature, for: digest, padding: .insecurePKCS1v1_5))
            }
        },
        setup: setup
    )

    Benchmark(
        "JOSE JWSVerifier.verify (signature only)",
        closure: { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(try! fixture.verifier.verify(fixture.token, keys: fixture.keys))
            }
        },
        setup: setup
    )

    Benchmark(
        "JOSE JWTValidator.validate (signature + claims)",
        closure: { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(try! fixture.validator.validate(fixture.token, keys: fixture.keys, now: fixture.now))
            }
        },
        setup: setup
    )

    Benchmark(
        "jwt-kit 5 JWTKeyCollection.verify (signature + claims)",
        closure: { benchmark, fixture async in
            for _ in benchmark.scaledIterations {
                blackHole(try! await fixture.jwtKit.verify(fixture.token, as: EntraAccessToken.self))
            }
        },
        setup: setup
    )
}
