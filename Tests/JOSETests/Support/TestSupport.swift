import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import JOSE

/// Loads the JSON fixtures copied from shared/reference into the test bundle.
enum Fixtures {
    static func json(_ name: String) throws -> JSONValue {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONParser.parse([UInt8](Data(contentsOf: url)))
    }

    /// `vectors.json` → its `vectors` object.
    static let vectors: [String: JSONValue] = {
        guard let root = try? json("vectors"), case .object(let members) = root,
            case .object(let vectors) = members["vectors"]
        else { fatalError("vectors.json fixture missing or malformed") }
        return vectors
    }()
}

extension JSONValue {
    /// Navigates objects by member names; crashes the test on a missing path.
    subscript(path: String...) -> JSONValue {
        var value = self
        for name in path {
            guard case .object(let members) = value, let next = members[name] else {
                fatalError("missing fixture member \(path)")
            }
            value = next
        }
        return value
    }

    /// The string at this value (crashes the test otherwise).
    var string: String {
        guard case .string(let text) = self else { fatalError("fixture value is not a string") }
        return text
    }
}

/// Test keys generated once per test process (RSA key generation is slow in debug builds).
enum TestKeys {
    static let rsa: RSASigningKey = try! RSASigningKey(generatingBits: 2048, keyID: "rsa-1")
    static let rsaOther: RSASigningKey = try! RSASigningKey(generatingBits: 2048, keyID: "rsa-2")
    static let ec: ES256SigningKey = ES256SigningKey(keyID: "ec-1")
    static let ecOther: ES256SigningKey = ES256SigningKey(keyID: "ec-2")

    /// A JWK Set holding only `rsa`'s public key.
    static var rsaSet: JWKSet { JWKSet(keys: [rsa.publicJWK]) }
}

/// Builds compact tokens with arbitrary header and payload text, for rejection tests.
enum TokenForge {
    /// Signs `header` and `payload` text verbatim with `key` (no normalisation, so
    /// duplicates, odd types and extra members survive).
    static func sign(header: String, payload: String, with key: some JWSSigningKey) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let signature = try key.signature(forSigningInput: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    /// A standard, valid claims payload around `now`.
    static func claims(now: Date = TestClock.now, extra: String = "") -> String {
        let t = Int(now.timeIntervalSince1970)
        return #"{"iss":"https://issuer.example","aud":"api://resource","sub":"user","#
            + #""iat":\#(t - 10),"nbf":\#(t - 10),"exp":\#(t + 3600)\#(extra)}"#
    }
}

/// A fixed "now" so claim tests are deterministic.
enum TestClock {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-29T...
}

/// A verifier allowing every supported algorithm.
let permissiveVerifier = JWSVerifier(allowedAlgorithms: Set(JWSAlgorithm.allCases))

/// Runs `body` and returns the JOSEError it threw, or nil if it did not throw one.
func joseError(_ body: () throws -> Void) -> JOSEError? {
    do {
        try body()
        return nil
    } catch {
        return error as? JOSEError
    }
}
