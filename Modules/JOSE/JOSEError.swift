#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one error type of the JOSE module: each case says exactly what failed.
///
/// Associated values are limited to what the caller already knows (limits, dates,
/// algorithm names from our own enum, registered claim names). The ``description``
/// is therefore safe to return to an HTTP caller: it never contains the token, a
/// header or claim value chosen by the sender, or any key material.
public enum JOSEError: Error, Hashable, Sendable {
    // MARK: Compact serialization

    /// The token is longer than the verifier's limit (checked before any decoding).
    case tokenTooLarge(limit: Int)
    /// The token is not exactly three dot-separated segments (RFC 7515 §7.1).
    case malformedCompactSerialization
    /// A segment is not strict unpadded base64url (RFC 7515 §2).
    case invalidBase64URL(JOSESegment)
    /// A segment is not well-formed UTF-8 JSON.
    case invalidJSON(JOSESegment)
    /// A segment is JSON but not a JSON object.
    case notAJSONObject(JOSESegment)
    /// A JSON object repeats a member name (RFC 7515 §5.2 step 4, RFC 7519 §4).
    case duplicateMemberName(JOSESegment)

    // MARK: Header

    /// The header has no `alg` string (RFC 7515 §4.1.1).
    case missingAlgorithm
    /// `alg` is `none` in some spelling: unsecured JWS is never accepted (RFC 8725 §3.1).
    case unsecuredTokenRejected
    /// `alg` names an algorithm this module does not implement (for example HS256).
    case unsupportedAlgorithm
    /// `alg` is implemented but not in the caller's allow-list (RFC 8725 §3.1).
    case algorithmNotAllowed(JWSAlgorithm)
    /// The header has `crit`; we understand no extensions (RFC 7515 §4.1.11).
    case criticalHeaderUnsupported
    /// The header has `b64: false`; unencoded payloads are not supported (RFC 7797 §3).
    case unencodedPayloadUnsupported
    /// The header `typ` is not one the caller accepts (RFC 8725 §3.11).
    case typeNotAccepted
    /// A registered header parameter has the wrong JSON type.
    case invalidHeaderParameter(name: String)

    // MARK: Keys and signature

    /// No key in the caller's set may verify this token (kid unknown, or no compatible key).
    case noMatchingKey
    /// More than one key could verify the token and the caller asked for exactly one.
    case ambiguousKey(candidates: Int)
    /// The signature has the wrong length or form for the algorithm (e.g. DER ECDSA).
    case malformedSignature
    /// An ECDSA signature has r or s equal to zero (CVE-2022-21449).
    case ecdsaSignatureScalarZero
    /// The signature does not verify with any candidate key.
    case signatureInvalid
    /// A JWK or JWK Set could not be used.
    case invalidKey(JWKProblem)

    // MARK: Claims

    /// A required claim is absent.
    case missingClaim(name: String)
    /// A registered claim has the wrong JSON type (e.g. `exp` as a string).
    case invalidClaimType(name: String)
    /// A NumericDate claim is not a date of years 1 to 9999 (e.g. `1e300`, `-1e999`).
    case dateOutOfRange(name: String)
    /// `exp` is in the past, beyond the leeway.
    case expired(at: Date)
    /// `nbf` is in the future, beyond the leeway.
    case notYetValid(until: Date)
    /// `iat` is further in the future than the allowed skew.
    case issuedInTheFuture(at: Date)
    /// `iss` is not exactly one of the accepted issuers.
    case issuerNotAccepted
    /// No `aud` value is one of the accepted audiences.
    case audienceNotAccepted
    /// The claims could not be decoded into the caller's type.
    case claimsDecodingFailed

    // MARK: Signing

    /// The private key could not be created, loaded or used.
    case signingFailed
}

/// Which part of a JOSE object an error concerns.
public enum JOSESegment: String, Hashable, Sendable {
    /// The protected header.
    case header
    /// The payload (claims, for a JWT).
    case payload
    /// The signature.
    case signature
    /// A JSON Web Key or Key Set.
    case key
}

extension JOSEError: CustomStringConvertible {
    /// A message safe to show to the token's sender.
    public var description: String {
        switch self {
        case .tokenTooLarge(let limit): "The token is larger than \(limit) bytes"
        case .malformedCompactSerialization: "The token is not a compact JWS of three segments"
        case .invalidBase64URL(let segment): "The token \(segment) is not valid base64url"
        case .invalidJSON(let segment): "The token \(segment) is not valid JSON"
        case .notAJSONObject(let segment): "The token \(segment) is not a JSON object"
        case .duplicateMemberName(let segment): "The token \(segment) has a duplicate member name"
        case .missingAlgorithm: "The token header has no algorithm"
        case .unsecuredTokenRejected: "Unsecured tokens (alg none) are not accepted"
        case .unsupportedAlgorithm: "The token algorithm is not supported"
        case .algorithmNotAllowed(let alg): "The token algorithm \(alg.rawValue) is not allowed"
        case .criticalHeaderUnsupported: "The token has critical header extensions, which are not supported"
        case .unencodedPayloadUnsupported: "Tokens with an unencoded payload are not supported"
        case .typeNotAccepted: "The token type is not accepted"
        case .invalidHeaderParameter(let name): "The token header parameter \(name) has the wrong type"
        case .noMatchingKey: "No trusted key can verify the token"
        case .ambiguousKey(let count): "\(count) trusted keys could verify the token; exactly one is required"
        case .malformedSignature: "The token signature is malformed"
        case .ecdsaSignatureScalarZero: "The token signature is invalid"
        case .signatureInvalid: "The token signature is invalid"
        case .invalidKey(let problem): "The key is not usable: \(problem)"
        case .missingClaim(let name): "The token has no \(name) claim"
        case .invalidClaimType(let name): "The token \(name) claim has the wrong type"
        case .dateOutOfRange(let name): "The token \(name) claim is not a date of years 1 to 9999"
        case .expired(let date): "The token expired at \(NumericDate.iso8601(date))"
        case .notYetValid(let date): "The token is not valid before \(NumericDate.iso8601(date))"
        case .issuedInTheFuture(let date): "The token was issued in the future, at \(NumericDate.iso8601(date))"
        case .issuerNotAccepted: "The token issuer is not accepted"
        case .audienceNotAccepted: "The token audience is not accepted"
        case .claimsDecodingFailed: "The token claims do not have the expected shape"
        case .signingFailed: "The token could not be signed"
        }
    }
}
