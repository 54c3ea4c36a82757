import Foundation

/// A client application's registration.
///
/// A client with a secret or a certificate is confidential and must authenticate with one of
/// them on every token request; a client with neither is public ("Allow public client flows":
/// device code, ROPC, PKCE sign-in) and must send no credential (Entra: AADSTS700025).
public struct ClientRegistration: Codable, Hashable, Sendable {
    /// The application (client) id.
    public var clientID: String
    /// Display name, shown on the consent page.
    public var name: String
    /// The client secret; nil when it has none.
    public var secret: String?
    /// Registered certificate credentials, each a PEM `CERTIFICATE` or `PUBLIC KEY` (RSA).
    public var certificates: [String]
    /// Registered redirect URIs, matched exactly.
    public var redirectURIs: [String]
    /// The delegated API permissions it may request ("API permissions" in the portal), as
    /// full scope names: `api://<id>/Heroes.Read`.
    public var permissions: [String]
    /// App roles granted to the client, per API App ID URI, for client credentials.
    public var appRoles: [String: [String]]
    /// An administrator granted consent to ``permissions`` for every user of the tenant
    /// ("Grant admin consent" in the portal), so no user is asked, not even for on-behalf-of.
    public var adminConsented: Bool

    /// Creates a registration.
    public init(
        clientID: String,
        name: String,
        secret: String?,
        certificates: [String] = [],
        redirectURIs: [String],
        permissions: [String],
        appRoles: [String: [String]],
        adminConsented: Bool = false
    ) {
        self.clientID = clientID
        self.name = name
        self.secret = secret
        self.certificates = certificates
        self.redirectURIs = redirectURIs
        self.permissions = permissions
        self.appRoles = appRoles
        self.adminConsented = adminConsented
    }

    /// Neither a secret nor a certificate: a public client.
    public var isPublic: Bool { secret == nil && certificates.isEmpty }

    /// Whether the client may request the delegated scope `name` of `api`.
    public func mayRequest(_ name: String, of api: APIRegistration) -> Bool {
        permissions.contains { $0.caseInsensitiveCompare("\(api.appIDURI)/\(name)") == .orderedSame }
    }

    private enum CodingKeys: String, CodingKey {
        case clientID, name, secret, certificates, redirectURIs, permissions, appRoles, adminConsented
    }

    /// Decodes a registration; everything but `clientID` and `name` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientID: try container.decode(String.self, forKey: .clientID),
            name: try container.decode(String.self, forKey: .name),
            secret: try container.decodeIfPresent(String.self, forKey: .secret),
            certificates: try container.decodeIfPresent([String].self, forKey: .certificates) ?? [],
            redirectURIs: try container.decodeIfPresent([String].self, forKey: .redirectURIs) ?? [],
            permissions: try container.decodeIfPresent([String].self, forKey: .permissions) ?? [],
            appRoles: try container.decodeIfPresent([String: [String]].self, forKey: .appRoles) ?? [:],
            adminConsented: try container.decodeIfPresent(Bool.self, forKey: .adminConsented) ?? false
        )
    }
}
