// A plain timing loop (best of 7 runs of 20,000 calls) that cross-checks the ordo-one
// figures without the harness's per-iteration bookkeeping, and splits the cost into parts.
// Not a test: numbers only.
// Run: swift run --package-path Benchmarks --scratch-path .build-bench -c release JOSEDirectLoop
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
let signatureBytes = Base64URL.decode(String(parts[2]))!
let signature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
let payloadText = String(parts[1])
let payload = Base64URL.decode(payloadText)!
// Made once: `rsa.publicKey` derives a new key (and its Montgomery context) on every call,
// which made an earlier version of this loop flatter us by about 5 µs.
let publicKey = rsa.publicKey
// Everything but the RSA verify: a one-octet signature fails the length check after hashing.
let shortSignatureToken = String(parts[0]) + "." + String(parts[1]) + ".AA"

/// One variant, as a closure returning something to keep the optimiser honest.
let variants: KeyValuePairs<String, () throws -> Int> = [
    "bare": { publicKey.isValidSignature(signature, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5) ? 1 : 0 },
    "jws": { try verifier.verify(token, keys: keys).payload.count },
    "jwt": { try validator.validate(token, keys: keys, now: now).claims.audience.count },
    "claims": { try JWTClaims(payload: payload).audience.count },
    "jws-without-rsa": { (try? verifier.verify(shortSignatureToken, keys: keys)) == nil ? 1 : 0 },
    "bare+signature-data": {
        let fresh = signatureBytes.withUnsafeBytes { _RSA.Signing.RSASignature(rawRepresentation: $0) }
        return publicKey.isValidSignature(fresh, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5) ? 1 : 0
    },
    "base64-payload": { Base64URL.decode(payloadText)!.count },
    "sha256": { SHA256.hash(data: signingInput).hashValue & 1 },
]

/// The measured loop of one variant; `--toggle-collect=*runVariant*` counts only this.
@inline(never)
func runVariant(_ body: () throws -> Int, count: Int) rethrows -> Int {
    var sink = 0
    for _ in 0..<count { sink &+= try body() }
    return sink
}

// `JOSEDirectLoop <variant> <count>` runs one variant `count` times and exits: for
// `valgrind --tool=callgrind --toggle-collect='*runVariant*'`, whose instruction, cache-miss
// and branch-miss counts repeat exactly whatever else the machine is doing.
let arguments = CommandLine.arguments
if arguments.count == 3, let count = Int(arguments[2]) {
    guard let body = variants.first(where: { $0.key == arguments[1] })?.value else {
        fatalError("variants: \(variants.map(\.key).joined(separator: ", "))")
    }
    print(try runVariant(body, count: count))
    exit(0)
}

// Otherwise: best of 7 runs of 20,000 calls of each variant, twice.
var sink = 0
for _ in 0..<2 {
    for (name, body) in variants {
        for _ in 0..<2000 { sink &+= try body() }
        var best = Duration.seconds(100)
        for _ in 0..<7 {
            let start = ContinuousClock.now
            sink &+= try runVariant(body, count: 20_000)
            best = min(best, (ContinuousClock.now - start) / 20_000)
        }
        print(name.padding(toLength: 22, withPad: " ", startingAt: 0), best)
    }
}
print(sink)
