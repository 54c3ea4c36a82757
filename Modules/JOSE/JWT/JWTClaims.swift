#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JWT claims set (RFC 7519 §4): typed registered claims plus every raw member.
///
/// Registered claims are type-checked when the claims set is created: `exp`, `nbf`
/// and `iat` must be JSON numbers (RFC 7519 §2 NumericDate), `aud` a string or an
/// array of strings, `iss`, `sub` and `jti` strings.
public struct JWTClaims: Sendable {
    /// Every member of the claims set, built on access (claims are otherwise parsed lazily).
    public var members: [String: JSONValue] {
        index.object()
    }
    /// `iss`: the issuer.
    public let issuer: String?
    /// `sub`: the subject (built on access: validation does not need it).
    public var subject: String? {
        index.value(named: "sub")?.stringValue
    }
    /// `aud`: the audiences (a single string becomes a one-element array, RFC 7519 §4.1.3).
    public let audience: [String]
    /// `exp`: the expiration time.
    public let expiration: Date?
    /// `nbf`: the time before which the token must not be accepted.
    public let notBefore: Date?
    /// `iat`: the issue time.
    public let issuedAt: Date?
    /// `jti`: the token identifier (built on access).
    public var jwtID: String? {
        index.value(named: "jti")?.stringValue
    }
    /// The validated JSON text, with its members located.
    let index: JSONObjectIndex

    /// The JSON text the claims came from (or their serialization).
    var json: [UInt8] { index.bytes }

    /// The raw value of one claim.
    public subscript(name: String) -> JSONValue? {
        index.value(named: name)
    }

    /// Parses a JWT payload: a JSON object without duplicate member names (RFC 7519 §7.2 step 10).
    public init(payload: [UInt8]) throws(JOSEError) {
        try self.init(index: JSONObjectIndex(validating: payload, segment: .payload))
    }

    /// Makes a claims set from JSON members, checking the registered claims' types.
    public init(members: [String: JSONValue]) throws(JOSEError) {
        try self.init(payload: JSONValue.object(members).serialized())
    }

    /// Makes a claims set for signing from registered claims plus any others.
    public init(
        issuer: String? = nil,
        subject: String? = nil,
        audience: [String] = [],
        expiration: Date? = nil,
        notBefore: Date? = nil,
        issuedAt: Date? = nil,
        jwtID: String? = nil,
        additional: [String: JSONValue] = [:]
    ) throws(JOSEError) {
        var members = additional
        if let issuer { members["iss"] = .string(issuer) }
        if let subject { members["sub"] = .string(subject) }
        // RFC 7519 §4.1.3: a single audience may be a plain string.
        if audience.count == 1 {
            members["aud"] = .string(audience[0])
        } else if !audience.isEmpty {
            members["aud"] = .array(audience.map { .string($0) })
        }
        if let expiration { members["exp"] = .number(NumericDate.seconds(expiration)) }
        if let notBefore { members["nbf"] = .number(NumericDate.seconds(notBefore)) }
        if let issuedAt { members["iat"] = .number(NumericDate.seconds(issuedAt)) }
        if let jwtID { members["jti"] = .string(jwtID) }
        try self.init(members: members)
    }

    private init(index: JSONObjectIndex) throws(JOSEError) {
        self.index = index
        self.issuer = try Self.string(index, "iss")
        // RFC 7519 §4.1.2, §4.1.7: strings; checked now, built only when read.
        if index.isString(named: "sub") == false { throw .invalidClaimType(name: "sub") }
        if index.isString(named: "jti") == false { throw .invalidClaimType(name: "jti") }
        self.expiration = try Self.numericDate(index, "exp")
        self.notBefore = try Self.numericDate(index, "nbf")
        self.issuedAt = try Self.numericDate(index, "iat")
        switch index.value(named: "aud") {
        case nil:
            self.audience = []
        case .string(let single):
            self.audience = [single]
        case .array(let elements):
            var audience: [String] = []
            audience.reserveCapacity(elements.count)
            for element in elements {
                guard case .string(let value) = element else { throw .invalidClaimType(name: "aud") }
                audience.append(value)
            }
            self.audience = audience
        default:
            throw .invalidClaimType(name: "aud")
        }
    }

    /// Decodes the claims into the caller's own type (e.g. Entra's `tid`, `oid`, `scp`).
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws(JOSEError) -> T {
        do {
            return try decoder.decode(T.self, from: Data(json))
        } catch {
            throw .claimsDecodingFailed
        }
    }

    private static func string(_ index: JSONObjectIndex, _ name: String) throws(JOSEError) -> String? {
        guard let value = index.value(named: name) else { return nil }
        guard case .string(let string) = value else { throw .invalidClaimType(name: name) }
        return string
    }

    private static func numericDate(_ index: JSONObjectIndex, _ name: String) throws(JOSEError) -> Date? {
        guard let value = index.value(named: name) else {
            // Present but no Double can hold it (1e400): out of range, not absent.
            if index.contains(named: name) { throw .dateOutOfRange(name: name) }
            return nil
        }
        // RFC 7519 §2: NumericDate is a JSON numeric value, never a string.
        guard case .number(let seconds) = value else { throw .invalidClaimType(name: name) }
        guard NumericDate.validRange.contains(seconds) else { throw .dateOutOfRange(name: name) }
        return NumericDate.date(seconds)
    }
}
