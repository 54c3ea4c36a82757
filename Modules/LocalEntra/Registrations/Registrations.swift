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
        var registrations: Registrations
        do {
            registrations = try JSONDecoder().decode(Registrations.self, from: data)
        } catch let error as DecodingError {
            throw RegistrationError("\(url.path) is not a valid registrations file: \(RegistrationError.describe(error))")
        } catch {
            throw RegistrationError("\(url.path) is not a valid registrations file")
        }
        // A certificate entry is PEM text or the path of a PEM file, relative to this file.
        for (client, registration) in registrations.clients.enumerated() {
            for (index, entry) in registration.certificates.enumerated() where !entry.hasPrefix("-----BEGIN") {
                let file = URL(fileURLWithPath: entry, relativeTo: url.deletingLastPathComponent())
                guard let pem = try? String(contentsOf: file, encoding: .utf8) else {
                    throw RegistrationError("clients[\(registration.clientID)].certificates[\(index)]: cannot read \(file.path)")
                }
                registrations.clients[client].certificates[index] = pem
            }
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
            guard !client.redirectURIs.isEmpty || !client.isPublic else {
                throw RegistrationError("clients[\(client.clientID)] needs redirectURIs, a secret or a certificate")
            }
            for (index, pem) in client.certificates.enumerated() {
                do {
                    _ = try ClientCredentialKey(pem: pem)
                } catch {
                    throw RegistrationError("clients[\(client.clientID)].certificates[\(index)]: \(error.description)")
                }
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
        // One application may be both an API and a client (a middle tier), but not twice either.
        for ids in [apis.map(\.clientID), clients.map(\.clientID)] {
            guard Set(ids.map { $0.lowercased() }).count == ids.count else {
                throw RegistrationError("application client ids must be unique")
            }
        }
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

    private enum CodingKeys: String, CodingKey {
        case clientID, name, appIDURI, scopes, appRoles, accessTokenAcceptedVersion
    }

    /// Decodes a registration; `appIDURI`, `scopes`, `appRoles` and `accessTokenAcceptedVersion` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientID: try container.decode(String.self, forKey: .clientID),
            name: try container.decode(String.self, forKey: .name),
            appIDURI: try container.decodeIfPresent(String.self, forKey: .appIDURI),
            scopes: try container.decodeIfPresent([String].self, forKey: .scopes) ?? [],
            appRoles: try container.decodeIfPresent([String].self, forKey: .appRoles) ?? [],
            accessTokenAcceptedVersion: try container.decodeIfPresent(Int.self, forKey: .accessTokenAcceptedVersion) ?? 2
        )
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
