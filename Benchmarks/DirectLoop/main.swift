// A plain timing loop (best of 7 runs of 20,000 calls) that cross-checks the ordo-one
// figures without the harness's per-iteration bookkeeping. Not a test: numbers only.
// Run: swift run --package-path Benchmarks -c release JOSEDirectLoop
import Crypto
import CryptoExtras
import Foundation
import JOSE

let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let signer = try RSASigningKey(privateKey: rsa, keyID: "nOo3ZDrODXEK1jKWhXslHR_KXEg")
let now = Date(timeIntervalSince1970: 1_796_000_000)
let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
let claims = try JWTClaims(
    issuer: "https://login.microsoftonline.com/\(tenant)/v2.0",
    subject: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
    audience: ["6e74172b-be56-4843-9ff4-e66a39bb12e3"],
    expiration: now.addingTimeInterval(3600),
    notBefore: now.addingTimeInterval(-60),
    issuedAt: now.addingTimeInterval(-60),
    additional: [
        "aio": "AUQAu/8TAAAAz8jYoBBXmHYrsIyTQ4ZJDv6+r2cHGe9q7Y1ZbNQ7zLT0v1O6+3CpWiEOUfeHy9X6QxQZQOw==",
        "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "azpacr": "0", "name": "Abe Lincoln",
        "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474", "preferred_username": "abeli@microsoft.com",
        "rh": "0.AXEAv4j5cvGGr0GRqy180BHbRyt3dG5WvkNIn_TmajnEEuNxAJE.", "scp": "access_as_user User.Read",
        "tid": .string(tenant), "uti": "fqiBqXLPj0eQa82S-IYFAA", "ver": "2.0",
    ]
)
let token = try signer.sign(claims: claims, header: ["x5t": "nOo3ZDrODXEK1jKWhXslHR_KXEg"])
let keys = JWKSet(keys: [signer.publicJWK])
let verifier = JWSVerifier(allowedAlgorithms: [.rs256])
let validator = JWTValidator(
    verifier: verifier,
    policy: ClaimsPolicy(
        acceptedIssuers: ["https://login.microsoftonline.com/\(tenant)/v2.0"],
        acceptedAudiences: ["6e74172b-be56-4843-9ff4-e66a39bb12e3"]
    )
)
let parts = token.split(separator: ".")
let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
let signature = _RSA.Signing.RSASignature(rawRepresentation: Base64URL.decode(String(parts[2]))!)
let payload = Base64URL.decode(String(parts[1]))!

func measure(_ name: String, _ n: Int = 20000, _ body: () throws -> Void) rethrows {
    for _ in 0..<2000 { try body() }
    var best = Duration.seconds(100)
    for _ in 0..<7 {
        let start = ContinuousClock.now
        for _ in 0..<n { try body() }
        best = min(best, (ContinuousClock.now - start) / n)
    }
    print(name.padding(toLength: 28, withPad: " ", startingAt: 0), best)
}
var sink = 0
for _ in 0..<2 {
    try measure("bare verify") {
        sink &+= rsa.publicKey.isValidSignature(signature, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5) ? 1 : 0
    }
    try measure("JWS verify") { sink &+= try verifier.verify(token, keys: keys).payload.count }
    try measure("JWT validate") { sink &+= try validator.validate(token, keys: keys, now: now).claims.audience.count }
    try measure("JWTClaims(payload:)") { sink &+= try JWTClaims(payload: payload).audience.count }
}
print(sink)
