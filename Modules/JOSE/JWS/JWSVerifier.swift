/// Verifies compact JWS tokens (RFC 7515 §5.2) against a caller-supplied key set.
///
/// The verifier is a value: configure it once (allowed algorithms, size limit) and
/// share it freely; it holds no mutable state.
public struct JWSVerifier: Sendable {
    /// How to choose among several keys that could verify a token.
    public enum KeySelection: Hashable, Sendable {
        /// Try every candidate key; accept if one verifies.
        case anyCandidate
        /// Require exactly one candidate key, otherwise fail with ``JOSEError/ambiguousKey(candidates:)``.
        case exactlyOneCandidate
    }

    /// The algorithms a token may use; anything else is rejected before any key is touched.
    public var allowedAlgorithms: Set<JWSAlgorithm> {
        get { Set(JWSAlgorithm.allCases.filter(allowed.contains)) }
        set { allowed = JWSAlgorithm.BitSet(newValue) }
    }
    /// The same, kept as bits: checked on every token.
    private var allowed: JWSAlgorithm.BitSet
    /// The largest token accepted, in bytes, checked before any decoding.
    public var maximumTokenSize: Int
    /// The policy when more than one key qualifies.
    public var keySelection: KeySelection

    /// The default size limit: 16 KiB, far above any real ID or access token.
    public static let defaultMaximumTokenSize = 16 * 1024

    /// Creates a verifier accepting only `allowedAlgorithms`.
    public init(
        allowedAlgorithms: Set<JWSAlgorithm>,
        maximumTokenSize: Int = JWSVerifier.defaultMaximumTokenSize,
        keySelection: KeySelection = .anyCandidate
    ) {
        self.allowed = JWSAlgorithm.BitSet(allowedAlgorithms)
        self.maximumTokenSize = maximumTokenSize
        self.keySelection = keySelection
    }

    /// Verifies a compact JWS held in a string.
    public func verify(_ token: String, keys: JWKSet) throws(JOSEError) -> VerifiedJWS {
        // Check the size before touching the contents (and before any copy withUTF8 might make).
        guard token.utf8.count <= maximumTokenSize else { throw .tokenTooLarge(limit: maximumTokenSize) }
        var token = token
        let result = token.withUTF8 { buffer in
            Result { () throws(JOSEError) in try verify(utf8: buffer, keys: keys) }
        }
        return try result.get()
    }

    /// Verifies a compact JWS held in a substring (e.g. after "Bearer ").
    public func verify(_ token: Substring, keys: JWKSet) throws(JOSEError) -> VerifiedJWS {
        guard token.utf8.count <= maximumTokenSize else { throw .tokenTooLarge(limit: maximumTokenSize) }
        var token = token
        let result = token.withUTF8 { buffer in
            Result { () throws(JOSEError) in try verify(utf8: buffer, keys: keys) }
        }
        return try result.get()
    }

    /// Verifies a compact JWS given as its ASCII bytes.
    public func verify(bytes token: [UInt8], keys: JWKSet) throws(JOSEError) -> VerifiedJWS {
        guard token.count <= maximumTokenSize else { throw .tokenTooLarge(limit: maximumTokenSize) }
        let result = token.withUnsafeBufferPointer { buffer in
            Result { () throws(JOSEError) in try verify(utf8: buffer, keys: keys) }
        }
        return try result.get()
    }

    /// The verification itself, over the token's bytes in place (no copy of the token).
    func verify(utf8 token: UnsafeBufferPointer<UInt8>, keys: JWKSet) throws(JOSEError) -> VerifiedJWS {
        guard token.count <= maximumTokenSize else { throw .tokenTooLarge(limit: maximumTokenSize) }

        // RFC 7515 §7.1: exactly three segments (JSON serialization and JWE are not accepted).
        // The first dot is searched forwards and the last backwards, so the long payload is
        // not scanned twice: a dot inside it fails its base64url decoding, reported below.
        guard let firstDot = Self.indexOfDot(in: token, from: 0),
            let secondDot = Self.lastIndexOfDot(in: token),
            secondDot > firstDot
        else { throw .malformedCompactSerialization }

        let headerSegment = UnsafeBufferPointer(rebasing: token[..<firstDot])
        let payloadSegment = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        let signatureSegment = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])

        // The payload first: a fourth segment shows up here, and is a structural error.
        guard let payload = Base64URL.decode(payloadSegment) else {
            let extraDot = Self.indexOfDot(in: payloadSegment, from: 0) != nil
            throw extraDot ? .malformedCompactSerialization : .invalidBase64URL(.payload)
        }
        guard let headerBytes = Base64URL.decode(headerSegment) else { throw .invalidBase64URL(.header) }
        let header = try JWSHeader(decoded: headerBytes, allowed: allowed)
        // The signature is only needed here: decode it into a temporary (stack) buffer.
        guard let signatureCount = Base64URL.decodedCount(ofLength: signatureSegment.count) else {
            throw .invalidBase64URL(.signature)
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: signatureCount) { signature throws(JOSEError) in
            guard Base64URL.decode(signatureSegment, into: signature) else { throw .invalidBase64URL(.signature) }
            return try verify(
                signature: UnsafeRawBufferPointer(signature),
                over: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<secondDot])),
                header: header,
                payload: payload,
                keys: keys
            )
        }
    }

    /// Checks the signature with the candidate keys, and keeps the payload if one verifies.
    private func verify(
        signature: UnsafeRawBufferPointer,
        over signingInput: UnsafeRawBufferPointer,
        header: JWSHeader,
        payload: [UInt8],
        keys: JWKSet
    ) throws(JOSEError) -> VerifiedJWS {
        // Key selection without building an array: this runs on every request.
        if keySelection == .exactlyOneCandidate {
            let count = keys.keys.reduce(0) { $0 + (keys.isCandidate($1, for: header) ? 1 : 0) }
            if count > 1 { throw .ambiguousKey(candidates: count) }
        }

        var outcome = JOSEError.noMatchingKey
        for key in keys.keys where keys.isCandidate(key, for: header) {
            switch key.publicKey.check(signature, signingInput: signingInput, algorithm: header.algorithm) {
            case .valid:
                return VerifiedJWS(header: header, payload: payload, key: key)
            case .invalid:
                outcome = .signatureInvalid
            case .zeroScalar:
                outcome = .ecdsaSignatureScalarZero
            case .malformed:
                // Keep a more telling error if another key already got further.
                if outcome == .noMatchingKey { outcome = .malformedSignature }
            }
        }
        throw outcome
    }

    /// The index of the last "." in `buffer`, scanning eight bytes at a time from the end.
    static func lastIndexOfDot(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var end = buffer.count
        while end >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self)) ^ 0x2E2E_2E2E_2E2E_2E2E
            // A flag may also be set above a real dot (borrow), so look at the eight bytes themselves.
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
            end -= 8
        }
        return UnsafeBufferPointer(rebasing: buffer[..<end]).lastIndex(of: UInt8(ascii: "."))
    }

    /// The index of the first "." at or after `start`, scanning eight bytes at a time.
    ///
    /// The dots are searched on every request over the whole token, so this is worth a
    /// word-at-a-time scan (SWAR "has zero byte" on the word XOR "........").
    static func indexOfDot(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index + 8 <= buffer.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ 0x2E2E_2E2E_2E2E_2E2E
            let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeroBytes != 0 { return index + zeroBytes.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: ".") { return index }
            index += 1
        }
        return nil
    }
}
