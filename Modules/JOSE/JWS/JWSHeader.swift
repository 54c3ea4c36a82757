/// The protected header of a JWS (RFC 7515 §4), checked against the caller's policy.
public struct JWSHeader: Sendable {
    /// The signature algorithm (`alg`), already known to be allowed.
    public let algorithm: JWSAlgorithm
    /// The key identifier (`kid`), an opaque string used only to select a trusted key.
    public let keyID: String?
    /// The media type of the whole token (`typ`), e.g. `JWT` or `at+jwt`.
    public let type: String?
    /// The media type of the payload (`cty`).
    public let contentType: String?
    /// Every header member, as parsed. `jwk`, `jku`, `x5u` and `x5c` may appear here but
    /// are never used to find a key (RFC 8725 §3.10).
    public let members: [String: JSONValue]

    /// The raw value of one header member.
    public subscript(name: String) -> JSONValue? {
        members[name]
    }

    /// Parses and checks decoded header bytes.
    init(decoded bytes: [UInt8], allowedAlgorithms: Set<JWSAlgorithm>) throws(JOSEError) {
        let members = try Self.parseObject(bytes, segment: .header)
        guard let algValue = members["alg"] else { throw .missingAlgorithm }
        guard case .string(let algText) = algValue else { throw .invalidHeaderParameter(name: "alg") }
        let algorithm = try JWSAlgorithm.parse(headerValue: algText)
        // RFC 8725 §3.1: only algorithms the caller chose, never what the token asks for.
        guard allowedAlgorithms.contains(algorithm) else { throw .algorithmNotAllowed(algorithm) }
        // RFC 7797 §3: with b64 false the signature covers the raw payload; we do not
        // implement that, and must not silently verify it as if it were b64 true.
        if case .bool(false) = members["b64"] { throw .unencodedPayloadUnsupported }
        // RFC 7515 §4.1.11: a recipient that does not understand a crit extension must reject.
        if members["crit"] != nil { throw .criticalHeaderUnsupported }
        self.algorithm = algorithm
        self.keyID = try Self.optionalString(members, "kid")
        self.type = try Self.optionalString(members, "typ")
        self.contentType = try Self.optionalString(members, "cty")
        self.members = members
    }

    private static func optionalString(_ members: [String: JSONValue], _ name: String) throws(JOSEError) -> String? {
        guard let value = members[name] else { return nil }
        guard case .string(let string) = value else { throw .invalidHeaderParameter(name: name) }
        return string
    }

    /// Parses a JSON object, mapping parser failures to precise errors for `segment`.
    static func parseObject(_ bytes: [UInt8], segment: JOSESegment) throws(JOSEError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch .duplicateMember {
            throw .duplicateMemberName(segment)
        } catch .notAnObject {
            throw .notAJSONObject(segment)
        } catch {
            throw .invalidJSON(segment)
        }
        guard case .object(let members) = value else { throw .notAJSONObject(segment) }
        return members
    }
}
