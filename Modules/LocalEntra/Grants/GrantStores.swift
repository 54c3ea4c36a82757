import Crypto
import Foundation
import JOSE
import OIDCCore

/// What a code, refresh token or approved device code stands for: a user's consent to a
/// client for some scopes.
public struct Grant: Hashable, Sendable, Codable {
    /// The user's object id.
    public var userObjectID: String
    /// The client id.
    public var clientID: String
    /// The scope string as requested (re-parsed on use, so a changed registration applies).
    public var scope: String
    /// The nonce of the authorization request, for the ID token.
    public var nonce: String?
}

/// Authorization codes: random, single-use, valid 10 minutes (Entra), bound to the client,
/// redirect URI and PKCE challenge of their request.
public actor AuthorizationCodeStore {
    struct Entry {
        let grant: Grant
        let redirectURI: String
        let codeChallenge: String?
        let codeChallengeMethod: String
        let issuedAt: Date
        var redeemed: Bool
    }

    /// How long a code can be redeemed.
    public static let lifetime: TimeInterval = 600
    private var entries: [String: Entry] = [:]

    /// Creates an empty store.
    public init() {}

    /// Issues a code for `request`, consented by the user of `grant`.
    public func issue(_ grant: Grant, for request: AuthorizationRequest, now: Date) -> String {
        entries = entries.filter { now.timeIntervalSince($0.value.issuedAt) < 2 * Self.lifetime }
        let code = Base64URL.random()
        entries[Secrets.hash(code)] = Entry(
            grant: grant,
            redirectURI: request.redirectURI,
            codeChallenge: request.codeChallenge,
            codeChallengeMethod: request.codeChallengeMethod,
            issuedAt: now,
            redeemed: false
        )
        return code
    }

    /// Redeems `code`: checks the client, redirect URI, age, single use and PKCE verifier.
    public func redeem(_ code: String, clientID: String, redirectURI: String?, verifier: String?, now: Date) throws(EntraError) -> Grant {
        let key = Secrets.hash(code)
        guard var entry = entries[key], entry.grant.clientID.caseInsensitiveCompare(clientID) == .orderedSame else {
            throw .invalidGrant
        }
        guard !entry.redeemed else { throw .codeRedeemed }
        guard now.timeIntervalSince(entry.issuedAt) < Self.lifetime else { throw .grantExpired }
        guard redirectURI == entry.redirectURI else { throw .redirectURIMismatch(clientID) }
        if let challenge = entry.codeChallenge {
            guard let verifier, CodeChallenge.matches(verifier: verifier, challenge: challenge, method: entry.codeChallengeMethod) else {
                throw .pkceMismatch
            }
        }
        entry.redeemed = true
        entries[key] = entry
        return entry.grant
    }
}

/// Refresh tokens: random, stored only as SHA-256 hashes in `{state}/refresh-tokens.json`,
/// rotated on every use (the old one stops working), expiring after ``lifetime``.
public actor RefreshTokenStore {
    struct Entry: Codable {
        var grant: Grant
        var expiresAt: Date
    }

    /// How long a refresh token lives unused.
    public let lifetime: TimeInterval
    private let file: URL
    private var entries: [String: Entry]

    /// Opens the store in `stateFolder`.
    public init(stateFolder: URL, lifetime: TimeInterval = 24 * 3600) throws {
        self.file = stateFolder.appendingPathComponent("refresh-tokens.json")
        self.lifetime = lifetime
        if let data = try? Data(contentsOf: file) {
            entries = try JSONDecoder().decode([String: Entry].self, from: data)
        } else {
            entries = [:]
        }
    }

    /// Issues a refresh token for `grant`.
    public func issue(_ grant: Grant, now: Date) throws -> String {
        entries = entries.filter { $0.value.expiresAt > now }
        let token = Base64URL.random(byteCount: 48)
        entries[Secrets.hash(token)] = Entry(grant: grant, expiresAt: now.addingTimeInterval(lifetime))
        try save()
        return token
    }

    /// Uses `token` once: returns its grant and forgets it (the caller issues a new one).
    public func redeem(_ token: String, clientID: String, now: Date) throws -> Grant {
        let key = Secrets.hash(token)
        guard let entry = entries[key], entry.grant.clientID.caseInsensitiveCompare(clientID) == .orderedSame else {
            throw EntraError.invalidGrant
        }
        entries[key] = nil
        try save()
        guard entry.expiresAt > now else { throw EntraError.grantExpired }
        return entry.grant
    }

    private func save() throws {
        try OwnerOnlyFile.write(try JSONEncoder().encode(entries), to: file)
    }
}

/// Random secrets and their hashes.
enum Secrets {
    /// The SHA-256 of a secret, as stored instead of the secret.
    static func hash(_ secret: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Compares two secrets without leaking where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let left = Array(SHA256.hash(data: Data(a.utf8)))
        let right = Array(SHA256.hash(data: Data(b.utf8)))
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// RFC 7636 code challenges, as the authorization server checks them.
enum CodeChallenge {
    /// Whether `verifier` answers `challenge` (§4.6): `S256` compares base64url(SHA-256).
    static func matches(verifier: String, challenge: String, method: String) -> Bool {
        // §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
        guard (43...128).contains(verifier.count),
            verifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) })
        else {
            return false
        }
        switch method {
        case "S256": return Secrets.equal(PKCE.challenge(for: verifier), challenge)
        case "plain": return Secrets.equal(verifier, challenge)
        default: return false
        }
    }
}
