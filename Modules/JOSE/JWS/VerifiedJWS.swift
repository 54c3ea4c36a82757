#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JWS whose signature has been verified with a trusted key.
public struct VerifiedJWS: Sendable {
    /// The checked protected header.
    public let header: JWSHeader
    /// The decoded payload octets (arbitrary bytes: RFC 7515 does not require JSON).
    public let payload: [UInt8]
    /// The trusted key that verified the signature.
    public let key: JWK

    /// The payload as `Data`, e.g. for `JSONDecoder`.
    public var payloadData: Data {
        Data(payload)
    }
}
