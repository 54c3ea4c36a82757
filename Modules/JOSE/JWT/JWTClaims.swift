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
    /// `sub`: the subject.
    public let subject: String?
    /// `aud`: the audiences (a single string becomes a one-element array, RFC 7519 §4.1.3).
    public let audience: [String]
    /// `exp`: the expiration time.
    public let expiration: Date?
    /// `nbf`: the time before which the token must not be accepted.
    public let notBefore: Date?
    /// `iat`: the issue time.
    public let issuedAt: Date?
    /// `jti`: the token identifier.
    public let jwtID: String?
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
        let index: JSONObjectIndex
        do {
            index = try JSONObjectIndex(validating: payload)
        } catch .duplicateMember {
            throw .duplicateMemberName(.payload)
        } catch .notAnObject {
            throw .notAJSONObject(.payload)
        } catch {
            throw .invalidJSON(.payload)
        }
        try self.init(index: index)
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
        self.subject = try Self.string(index, "sub")
        self.jwtID = try Self.string(index, "jti")
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
        guard let value = index.value(named: name) else { return nil }
        // RFC 7519 §2: NumericDate is a JSON numeric value, never a string.
        guard case .number(let seconds) = value else { throw .invalidClaimType(name: name) }
        return NumericDate.date(seconds)
    }
}
