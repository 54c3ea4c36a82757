import Foundation
import Testing

@testable import JOSE

/// One vector of `wycheproof_jws_annotated.json` (C2SP Wycheproof JWS, annotated).
struct WycheproofVector: Sendable, CustomTestStringConvertible {
    let tcId: Int
    let group: String
    let comment: String
    let key: JSONValue
    let token: String
    let expectation: String

    var testDescription: String { "tc\(tcId) \(group) \(comment) → \(expectation)" }

    static let all: [WycheproofVector] = {
        guard let root = try? Fixtures.json("wycheproof_jws_annotated"),
            case .array(let tests) = root["tests"]
        else { fatalError("Wycheproof fixture missing") }
        return tests.map { test in
            // tc17 is a JSON-serialization JWS: an object, which we pass on as its text.
            let token: String =
                if case .string(let compact) = test["jws"] { compact } else {
                    String(decoding: test["jws"].serialized(), as: UTF8.self)
                }
            return WycheproofVector(
                tcId: Int(test["tcId"].numberValue!),
                group: test["group"].string,
                comment: test["comment"].string,
                key: test["key"],
                token: token,
                expectation: test["recommended_expectation"].string
            )
        }
    }()

    /// Vectors whose key states an `alg` different from the token's (RFC 7520 Figures 20 and
    /// 27 as reused by Wycheproof). The annotation calls the outcome implementation-defined;
    /// our rule (a key's `alg` restricts it, RFC 7517 §4.4) rejects them.
    static let keyAlgorithmMismatch: Set<Int> = [346, 347, 350, 351]
}

@Suite("Wycheproof JWS vectors")
struct WycheproofTests {
    static let vectors = WycheproofVector.all.filter { $0.expectation != "EXCLUDE" }

    @Test("The fixture holds the expected number of vectors")
    func inventory() {
        #expect(WycheproofVector.all.count == 401)
        #expect(Self.vectors.count == 399)
        #expect(Self.vectors.filter { $0.expectation == "valid" }.count == 44)
    }

    @Test("Each vector gets its recommended expectation", arguments: vectors)
    func vector(_ vector: WycheproofVector) throws {
        let keyDocument = JSONValue.object(["keys": [vector.key]])
        let keys = try JWKSet(jsonData: Data(keyDocument.serialized()))
        let result = Result { () throws(JOSEError) in try permissiveVerifier.verify(vector.token, keys: keys) }
        let isHMAC = vector.key.objectValue?["kty"] == .string("oct")

        if vector.expectation == "valid" && isHMAC {
            // Valid HS256 vectors: we implement no HMAC, so "reject as unsupported alg".
            #expect(throws: JOSEError.unsupportedAlgorithm) { try result.get() }
        } else if vector.expectation == "valid" && WycheproofVector.keyAlgorithmMismatch.contains(vector.tcId) {
            #expect(throws: JOSEError.noMatchingKey) { try result.get() }
        } else if vector.expectation == "valid" {
            let verified = try result.get()
            #expect(verified.key.keyID == vector.key.objectValue?["kid"]?.stringValue)
        } else {
            #expect(throws: JOSEError.self) { try result.get() }
        }
    }

    @Test(
        "ECDSA special cases fail for the precise reason",
        arguments: vectors.filter { $0.group == "SpecialCaseEs256" && $0.expectation == "invalid" }
    )
    func ecdsaSpecialCases(_ vector: WycheproofVector) throws {
        let keys = try JWKSet(jsonData: Data(JSONValue.object(["keys": [vector.key]]).serialized()))
        let error = joseError { _ = try permissiveVerifier.verify(vector.token, keys: keys) }
        let expected: Set<JOSEError> =
            vector.comment.contains("IsZero") ? [.ecdsaSignatureScalarZero] : [.malformedSignature, .signatureInvalid]
        #expect(error.map(expected.contains) == true, "\(String(describing: error))")
    }
}
