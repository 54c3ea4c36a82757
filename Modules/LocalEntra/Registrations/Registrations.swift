import Foundation

/// Who exists in the local tenant: applications and users, as an Entra admin would have
/// registered them in the portal. Built-in development defaults, or a JSON file (`--config`).
public struct Registrations: Codable, Hashable, Sendable {
    /// The tenant id (a GUID).
    public var tenantID: String
    /// Resource APIs (the Heroes API, and a second one to test audience mistakes).
    public var apis: [APIRegistration]
    /// Client applications.
    public var clients: [ClientRegistration]
    /// Users who can sign in.
    public var users: [UserAccount]

    /// Creates registrations.
    public init(tenantID: String, apis: [APIRegistration], clients: [ClientRegistration], users: [UserAccount]) {
        self.tenantID = tenantID
        self.apis = apis
        self.clients = clients
        self.users = users
    }

    /// The client with this id.
    public func client(_ clientID: String) -> ClientRegistration? {
        clients.first { $0.clientID.caseInsensitiveCompare(clientID) == .orderedSame }
    }

    /// The API a scope or resource refers to: by App ID URI (`api://…/Heroes.Read`,
    /// `api://…/.default`) or by client id.
    public func api(forResource resource: String) -> APIRegistration? {
        apis.first { api in
            resource.caseInsensitiveCompare(api.appIDURI) == .orderedSame || resource.caseInsensitiveCompare(api.clientID) == .orderedSame
        }
    }

    /// The user with this username (case-insensitive, as Entra's UPNs).
    public func user(named username: String) -> UserAccount? {
        users.first { $0.username.caseInsensitiveCompare(username) == .orderedSame }
    }

    /// The user with this object id.
    public func user(objectID: String) -> UserAccount? {
        users.first { $0.objectID == objectID }
    }

    /// Reads registrations from a JSON file, checking them; the error names the problem.
    public static func load(from url: URL) throws(RegistrationError) -> Registrations {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RegistrationError("cannot read \(url.path): \(error.localizedDescription)")
        }
        let registrations: Registrations
        do {
            registrations = try JSONDecoder().decode(Registrations.self, from: data)
        } catch let error as DecodingError {
            throw RegistrationError("\(url.path) is not a valid registrations file: \(RegistrationError.describe(error))")
        } catch {
            throw RegistrationError("\(url.path) is not a valid registrations file")
        }
        try registrations.validate()
        return registrations
    }

    /// Checks what JSON cannot: GUIDs, unique ids, known references.
    public func validate() throws(RegistrationError) {
        func guid(_ value: String, _ what: String) throws(RegistrationError) {
            guard UUID(uuidString: value) != nil else { throw RegistrationError("\(what) '\(value)' is not a GUID") }
        }
        try guid(tenantID, "tenantID")
        for api in apis {
            try guid(api.clientID, "apis[].clientID")
            guard [1, 2].contains(api.accessTokenAcceptedVersion) else {
                throw RegistrationError("apis[\(api.clientID)].accessTokenAcceptedVersion must be 1 or 2")
            }
        }
        for client in clients {
            try guid(client.clientID, "clients[].clientID")
            guard !client.redirectURIs.isEmpty || client.secret != nil else {
                throw RegistrationError("clients[\(client.clientID)] needs redirectURIs or a secret")
            }
            for resource in client.appRoles.keys where api(forResource: resource) == nil {
                throw RegistrationError("clients[\(client.clientID)].appRoles names an unknown API '\(resource)'")
            }
            for permission in client.permissions {
                guard let slash = permission.lastIndex(of: "/"), let api = api(forResource: String(permission[..<slash])),
                    api.scopes.contains(String(permission[permission.index(after: slash)...]))
                else { throw RegistrationError("clients[\(client.clientID)].permissions names an unknown scope '\(permission)'") }
            }
        }
        for user in users { try guid(user.objectID, "users[].objectID") }
        let ids = apis.map(\.clientID) + clients.map(\.clientID)
        guard Set(ids.map { $0.lowercased() }).count == ids.count else { throw RegistrationError("application client ids must be unique") }
        guard Set(users.map { $0.username.lowercased() }).count == users.count else { throw RegistrationError("usernames must be unique") }
    }
}

/// A resource API's registration ("Expose an API" in the portal).
public struct APIRegistration: Codable, Hashable, Sendable {
    /// The application (client) id.
    public var clientID: String
    /// Display name.
    public var name: String
    /// The App ID URI, `api://<client id>` by default.
    public var appIDURI: String
    /// Delegated permissions users can consent to (`Heroes.Read`...).
    public var scopes: [String]
    /// App roles applications can be granted.
    public var appRoles: [String]
    /// 2 for v2 access tokens; 1 (Entra's default for a new API) for v1 tokens.
    public var accessTokenAcceptedVersion: Int

    /// Creates a registration.
    public init(
        clientID: String,
        name: String,
        appIDURI: String? = nil,
        scopes: [String],
        appRoles: [String],
        accessTokenAcceptedVersion: Int = 2
    ) {
        self.clientID = clientID
        self.name = name
        self.appIDURI = appIDURI ?? "api://\(clientID)"
        self.scopes = scopes
        self.appRoles = appRoles
        self.accessTokenAcceptedVersion = accessTokenAcceptedVersion
    }
}

/// A client application's registration.
public struct ClientRegistration: Codable, Hashable, Sendable {
    /// The application (client) id.
    public var clientID: String
    /// Display name, shown on the consent page.
    public var name: String
    /// The client secret; nil for a public client.
    public var secret: String?
    /// Registered redirect URIs, matched exactly.
    public var redirectURIs: [String]
    /// The delegated API permissions it may request ("API permissions" in the portal), as
    /// full scope names: `api://<id>/Heroes.Read`.
    public var permissions: [String]
    /// App roles granted to the client, per API App ID URI, for client credentials.
    public var appRoles: [String: [String]]

    /// Creates a registration.
    public init(
        clientID: String,
        name: String,
        secret: String?,
        redirectURIs: [String],
        permissions: [String],
        appRoles: [String: [String]]
    ) {
        self.clientID = clientID
        self.name = name
        self.secret = secret
        self.redirectURIs = redirectURIs
        self.permissions = permissions
        self.appRoles = appRoles
    }

    /// Whether the client may request the delegated scope `name` of `api`.
    public func mayRequest(_ name: String, of api: APIRegistration) -> Bool {
        permissions.contains { $0.caseInsensitiveCompare("\(api.appIDURI)/\(name)") == .orderedSame }
    }
}

/// A user of the tenant.
public struct UserAccount: Codable, Hashable, Sendable {
    /// The sign-in name (UPN), e.g. `hero@localentra.dev`.
    public var username: String
    /// The password (development only: stored as given).
    public var password: String
    /// The display name (`name` claim).
    public var displayName: String
    /// The stable object id (`oid` claim).
    public var objectID: String

    /// Creates a user.
    public init(username: String, password: String, displayName: String, objectID: String) {
        self.username = username
        self.password = password
        self.displayName = displayName
        self.objectID = objectID
    }
}

/// A registrations file that cannot be used; local-entra exits with status 2 and this message.
public struct RegistrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        @unknown default: return "invalid"
        }
    }
}
