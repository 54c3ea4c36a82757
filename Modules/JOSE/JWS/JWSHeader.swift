/// The protected header of a JWS (RFC 7515 §4), checked against the caller's policy.
public struct JWSHeader: Sendable {
    /// The signature algorithm (`alg`), already known to be allowed.
    public let algorithm: JWSAlgorithm
    /// The key identifier (`kid`), an opaque string used only to select a trusted key.
    public var keyID: String? { index.value(named: "kid")?.stringValue }
    /// The media type of the whole token (`typ`), e.g. `JWT` or `at+jwt`.
    public var type: String? { index.value(named: "typ")?.stringValue }
    /// The media type of the payload (`cty`).
    public var contentType: String? { index.value(named: "cty")?.stringValue }
    /// Whether the header names a `kid` (checked to be a string).
    let hasKeyID: Bool
    /// Every header member, built on access. `jwk`, `jku`, `x5u` and `x5c` may appear here
    /// but are never used to find a key (RFC 8725 §3.10).
    public var members: [String: JSONValue] {
        index.object()
    }
    /// The validated JSON text, with its members located (nothing else is built per request).
    private let index: JSONObjectIndex

    /// The raw value of one header member.
    public subscript(name: String) -> JSONValue? {
        index.value(named: name)
    }

    /// Parses and checks decoded header bytes.
    init(decoded bytes: [UInt8], allowed allowedAlgorithms: JWSAlgorithm.BitSet) throws(JOSEError) {
        let index = try JSONObjectIndex(validating: bytes, segment: .header)
        guard let algValue = index.value(named: "alg") else { throw .missingAlgorithm }
        guard case .string(let algText) = algValue else { throw .invalidHeaderParameter(name: "alg") }
        let algorithm = try JWSAlgorithm.parse(headerValue: algText)
        // RFC 8725 §3.1: only algorithms the caller chose, never what the token asks for.
        guard allowedAlgorithms.contains(algorithm) else { throw .algorithmNotAllowed(algorithm) }
        // RFC 7797 §3: with b64 false the signature covers the raw payload; we do not
        // implement that, and must not silently verify it as if it were b64 true.
        if case .bool(false) = index.value(named: "b64") { throw .unencodedPayloadUnsupported }
        // RFC 7515 §4.1.11: a recipient that does not understand a crit extension must reject.
        if index.value(named: "crit") != nil { throw .criticalHeaderUnsupported }
        // kid, typ and cty must be strings; they are built only when read (a kid is
        // compared in place, see ``admitsKey(withID:)``).
        let kidIsString = index.isString(named: "kid")
        if kidIsString == false { throw .invalidHeaderParameter(name: "kid") }
        if index.isString(named: "typ") == false { throw .invalidHeaderParameter(name: "typ") }
        if index.isString(named: "cty") == false { throw .invalidHeaderParameter(name: "cty") }
        self.algorithm = algorithm
        self.hasKeyID = kidIsString == true
        self.index = index
    }

    /// Whether a key with this `kid` may be tried: any key when the header has no `kid`,
    /// otherwise only a key whose `kid` is exactly the header's (an opaque string).
    func admitsKey(withID keyID: String?) -> Bool {
        guard hasKeyID else { return true }
        guard let keyID else { return false }
        return index.string(named: "kid", equals: keyID)
    }
}
