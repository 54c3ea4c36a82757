import OIDCCore

extension Registrations {
    /// The built-in development registrations: the fixed, documented values hero-server and
    /// hero-client use when they have no Azure settings (``DevelopmentTenant``). Never valid
    /// against a real tenant.
    public static let development = Registrations(
        tenantID: DevelopmentTenant.tenantID,
        apis: [
            APIRegistration(
                clientID: DevelopmentTenant.apiClientID,
                name: "Heroes API",
                scopes: DevelopmentTenant.apiScopes,
                appRoles: DevelopmentTenant.apiScopes
            ),
            APIRegistration(
                clientID: DevelopmentTenant.secondAPIClientID,
                name: "Second API (for audience tests)",
                scopes: ["Things.Read"],
                appRoles: ["Things.Read"]
            ),
            APIRegistration(
                clientID: DevelopmentTenant.middleTierClientID,
                name: "Heroes Middle Tier",
                scopes: [DevelopmentTenant.middleTierScope],
                appRoles: []
            ),
        ],
        clients: [
            ClientRegistration(
                clientID: DevelopmentTenant.clientID,
                name: "Hero Client",
                secret: DevelopmentTenant.clientSecret,
                redirectURIs: [DevelopmentTenant.redirectURI],
                permissions: DevelopmentTenant.apiScopes.map { "\(DevelopmentTenant.apiAppIDURI)/\($0)" },
                appRoles: [DevelopmentTenant.apiAppIDURI: DevelopmentTenant.clientAppRoles]
            ),
            ClientRegistration(
                clientID: DevelopmentTenant.middleTierClientID,
                name: "Heroes Middle Tier",
                secret: DevelopmentTenant.middleTierSecret,
                redirectURIs: [],
                permissions: ["\(DevelopmentTenant.middleTierAppIDURI)/\(DevelopmentTenant.middleTierScope)"]
                    + DevelopmentTenant.apiScopes.map { "\(DevelopmentTenant.apiAppIDURI)/\($0)" },
                appRoles: [:],
                adminConsented: true
            ),
        ],
        users: [DevelopmentTenant.hero, DevelopmentTenant.sidekick].map {
            UserAccount(username: $0.username, password: $0.password, displayName: $0.displayName, objectID: $0.objectID)
        }
    )
}
