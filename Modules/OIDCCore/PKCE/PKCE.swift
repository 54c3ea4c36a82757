import Crypto
import Foundation
import JOSE

/// Proof Key for Code Exchange (RFC 7636): the client makes the challenge, the authorization
/// server checks the verifier against it.
public enum PKCE {
    /// The S256 challenge of a verifier (§4.2): base64url(SHA-256(ASCII(verifier))).
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// A new verifier: 32 random bytes as base64url, 43 characters (§4.1 asks for 43 to 128).
    public static func makeVerifier() -> String {
        Base64URL.random(byteCount: 32)
    }
}
