import Foundation
import JOSE
import Logging
import OIDCCore

/// Who signed in, as the ID token said.
public struct Account: Codable, Hashable, Sendable {
    /// `oid.tid`, MSAL's home account id: unique across tenants.
    public var id: String
    /// The sign-in name (`preferred_username`).
    public var username: String?
    /// The display name (`name`).
    public var name: String?

    /// Reads the account from validated ID-token claims.
    public init(claims: JWTClaims) {
        let objectID = claims["oid"]?.stringValue ?? claims.subject ?? "unknown"
        let tenantID = claims["tid"]?.stringValue ?? "unknown"
        self.init(id: "\(objectID).\(tenantID)", username: claims["preferred_username"]?.stringValue, name: claims["name"]?.stringValue)
    }

    /// Creates an account.
    public init(id: String, username: String?, name: String?) {
        self.id = id
        self.username = username
        self.name = name
    }
}

/// The tokens of one account for one set of scopes.
public struct CachedTokens: Codable, Hashable, Sendable {
    /// The access token.
    public var accessToken: String
    /// When it expires.
    public var expiresAt: Date
    /// The refresh token, if any.
    public var refreshToken: String?
    /// The scopes asked for.
    public var scopes: [String]
}

/// Tokens per account and scope set, persisted to an owner-only file so a restart keeps the
/// sign-in. An access token is reused until 5 minutes before it expires (as MSAL), then
/// renewed with the refresh token; concurrent callers share one renewal.
public actor TokenCache {
    /// How the cache renews: the token endpoint's refresh grant.
    public typealias Renewal = @Sendable (_ refreshToken: String, _ scopes: [String]) async throws(TokenEndpointError) -> TokenResponse

    /// Access tokens this close to expiry are renewed first.
    public static let renewalMargin: TimeInterval = 300

    private struct Contents: Codable {
        var version = 1
        var currentAccount: Account?
        var entries: [String: CachedTokens] = [:]
    }

    private let file: URL?
    private let renew: Renewal
    private let logger: Logger
    private let now: @Sendable () -> Date
    private var contents = Contents()
    private var renewals: [String: Task<CachedTokens, any Error>] = [:]

    /// Opens the cache at `file` (nil: in memory only). A file that cannot be read as a cache
    /// is moved aside with a warning, and the cache starts empty.
    public init(file: URL?, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }, renew: @escaping Renewal) {
        self.file = file
        self.renew = renew
        self.logger = logger
        self.now = now
        guard let file, FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            contents = try JSONDecoder.cache.decode(Contents.self, from: Data(contentsOf: file))
        } catch {
            let aside = file.appendingPathExtension("corrupt-\(Int(Date().timeIntervalSince1970))")
            try? FileManager.default.moveItem(at: file, to: aside)
            logger.warning(
                "The token cache file could not be read; it was set aside and you need to sign in again",
                metadata: ["moved_to": "\(aside.path)"]
            )
        }
    }

    /// The signed-in account, if any.
    public var currentAccount: Account? { contents.currentAccount }

    /// The cached tokens of the current account for `scopes`, without renewing them.
    public func cachedTokens(scopes: [String]) -> CachedTokens? {
        contents.currentAccount.flatMap { contents.entries[Self.key($0, scopes)] }
    }

    /// Stores a fresh token response for `account`, who becomes the current account.
    public func store(_ response: TokenResponse, account: Account, scopes: [String]) throws {
        contents.currentAccount = account
        contents.entries[Self.key(account, scopes)] = CachedTokens(
            accessToken: response.accessToken,
            expiresAt: now().addingTimeInterval(TimeInterval(response.expiresIn ?? 3600)),
            refreshToken: response.refreshToken,
            scopes: scopes
        )
        try save()
    }

    /// An access token for `scopes`: the cached one while it has more than 5 minutes left,
    /// otherwise a renewed one. `forceRenewal` renews anyway (after the API answered 401).
    public func accessToken(scopes: [String], forceRenewal: Bool = false) async throws(TokenCacheError) -> String {
        guard let account = contents.currentAccount, let cached = contents.entries[Self.key(account, scopes)] else {
            throw .notSignedIn
        }
        if !forceRenewal, cached.expiresAt.timeIntervalSince(now()) > Self.renewalMargin {
            return cached.accessToken
        }
        return try await renewed(account, scopes, cached).accessToken
    }

    /// Forgets every token.
    public func signOut() throws {
        contents = Contents()
        try save()
    }

    /// Renews once for all concurrent callers of the same account and scopes.
    private func renewed(_ account: Account, _ scopes: [String], _ cached: CachedTokens) async throws(TokenCacheError) -> CachedTokens {
        let key = Self.key(account, scopes)
        let task: Task<CachedTokens, any Error>
        if let running = renewals[key] {
            task = running
        } else {
            guard let refreshToken = cached.refreshToken else { throw .notSignedIn }
            task = Task {
                defer { renewals[key] = nil }
                let response = try await renew(refreshToken, scopes)
                let tokens = CachedTokens(
                    accessToken: response.accessToken,
                    expiresAt: now().addingTimeInterval(TimeInterval(response.expiresIn ?? 3600)),
                    // Rotated refresh tokens replace the old one; keep the old if none came.
                    refreshToken: response.refreshToken ?? refreshToken,
                    scopes: scopes
                )
                contents.entries[key] = tokens
                try save()
                logger.info("Access token renewed", metadata: ["account": "\(account.username ?? account.id)"])
                return tokens
            }
            renewals[key] = task
        }
        do {
            return try await task.value
        } catch let error as TokenEndpointError {
            throw .renewalFailed(error)
        } catch {
            throw .storageFailed("\(error)")
        }
    }

    private func save() throws {
        guard let file else { return }
        try OwnerOnlyFile.write(try JSONEncoder.cache.encode(contents), to: file)
    }

    private static func key(_ account: Account, _ scopes: [String]) -> String {
        "\(account.id)|\(Set(scopes.map { $0.lowercased() }).sorted().joined(separator: " "))"
    }
}

/// Why the cache has no token to give.
public enum TokenCacheError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nobody is signed in (or the sign-in cannot be renewed).
    case notSignedIn
    /// The refresh grant failed (e.g. the refresh token expired): sign in again.
    case renewalFailed(TokenEndpointError)
    /// The cache file could not be written.
    case storageFailed(String)

    public var description: String {
        switch self {
        case .notSignedIn: "Not signed in"
        case .renewalFailed(let error): "The sign-in could not be renewed: \(error.description)"
        case .storageFailed(let reason): "The token cache could not be saved: \(reason)"
        }
    }
}

extension JSONEncoder {
    fileprivate static var cache: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var cache: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
