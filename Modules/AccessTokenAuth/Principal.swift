import HTTPServerKit
import JOSE

/// Who called, as a validated access token says: the user (or application) and what it may do.
///
/// A value, held in one immutable object: a read copies its principal about five times (into
/// the verified-token cache's entry and out of it, into the request's context and out of it
/// for the permission check and the log line). Seven strings and sets in the struct itself
/// meant seven retains and releases per copy, 70 atomic operations per read (callgrind); one
/// object means one.
public struct Principal: Hashable, Sendable {
    private struct Claims: Hashable {
        let objectID: String?
        let tenantID: String?
        let clientID: String?
        let scopes: Set<String>
        let roles: Set<String>
        let name: String?
        let subject: String?
    }

    private final class Box: Sendable {
        let claims: Claims

        init(_ claims: Claims) {
            self.claims = claims
        }
    }

    private let box: Box

    /// The caller's object id in the tenant (`oid`): the stable id to key data by.
    public var objectID: String? { box.claims.objectID }
    /// The tenant (`tid`).
    public var tenantID: String? { box.claims.tenantID }
    /// The client application that obtained the token (`azp` in v2, `appid` in v1).
    public var clientID: String? { box.claims.clientID }
    /// Delegated permissions (`scp`, space-separated in the token).
    public var scopes: Set<String> { box.claims.scopes }
    /// App roles (`roles`): an application's permissions in app-only tokens.
    public var roles: Set<String> { box.claims.roles }
    /// The user's display name (`name`), when present.
    public var name: String? { box.claims.name }
    /// The token's subject (`sub`).
    public var subject: String? { box.claims.subject }

    /// Creates a principal.
    public init(
        objectID: String?,
        tenantID: String?,
        clientID: String?,
        scopes: Set<String>,
        roles: Set<String>,
        name: String?,
        subject: String?
    ) {
        box = Box(
            Claims(
                objectID: objectID,
                tenantID: tenantID,
                clientID: clientID,
                scopes: scopes,
                roles: roles,
                name: name,
                subject: subject
            )
        )
    }

    /// Equal when every claim is, whether or not the two share their object.
    public static func == (lhs: Principal, rhs: Principal) -> Bool {
        lhs.box === rhs.box || lhs.box.claims == rhs.box.claims
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.claims)
    }

    /// Reads the principal from validated claims.
    init(claims: JWTClaims) {
        self.init(
            objectID: claims["oid"]?.stringValue,
            tenantID: claims["tid"]?.stringValue,
            clientID: claims["azp"]?.stringValue ?? claims["appid"]?.stringValue,
            scopes: Self.scopes(claims["scp"]?.stringValue ?? ""),
            roles: Set((claims["roles"]?.arrayValue ?? []).compactMap(\.stringValue)),
            name: claims["name"]?.stringValue,
            subject: claims.subject
        )
    }

    /// The scopes of `scp`, split at each space (RFC 6749 §3.3: scope tokens are printable ASCII
    /// delimited by U+0020). Split on its UTF-8 bytes: `String.split` walks `Character`s, with
    /// grapheme breaking, which cost a new token about 17,000 instructions here (callgrind).
    static func scopes(_ scp: String) -> Set<String> {
        Set(scp.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) })
    }

    /// Whether the delegated scope or the app role `permission` was granted
    /// (Microsoft.Identity.Web's `RequiredScopeOrAppPermission`).
    public func holds(_ permission: String) -> Bool {
        scopes.contains(permission) || roles.contains(permission)
    }

    /// Throws a 403 `insufficient_scope` challenge naming `permission` unless it is held.
    public func require(_ permission: String) throws(BearerChallenge) {
        guard holds(permission) else {
            throw .insufficientScope(permission, description: "The token does not grant \(permission)")
        }
    }
}
