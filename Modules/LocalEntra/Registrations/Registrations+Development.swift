extension Registrations {
    /// The built-in development registrations: the fixed, documented values hero-server and
    /// hero-client use when they have no Azure settings (ARCHITECTURE.md, development defaults).
    /// Never valid against a real tenant.
    public static let development = Registrations(
        tenantID: "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10",
        apis: [
            APIRegistration(
                clientID: "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c",
                name: "Heroes API",
                scopes: ["Heroes.Read", "Heroes.Write", "Heroes.Delete"],
                appRoles: ["Heroes.Read", "Heroes.Write", "Heroes.Delete"]
            ),
            APIRegistration(
                clientID: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
                name: "Second API (for audience tests)",
                scopes: ["Things.Read"],
                appRoles: ["Things.Read"]
            ),
        ],
        clients: [
            ClientRegistration(
                clientID: "3f2e1d0c-9b8a-4c7d-a6e5-4f3e2d1c0b9a",
                name: "Hero Client",
                secret: "local-entra-dev-secret",
                redirectURIs: ["http://localhost:8000/auth/callback"],
                permissions: ["Heroes.Read", "Heroes.Write", "Heroes.Delete"].map { "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/\($0)" },
                appRoles: ["api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c": ["Heroes.Read", "Heroes.Write"]]
            )
        ],
        users: [
            UserAccount(
                username: "hero@localentra.dev",
                password: "hero-password",
                displayName: "Demo Hero",
                objectID: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
            ),
            UserAccount(
                username: "sidekick@localentra.dev",
                password: "sidekick-password",
                displayName: "Sidekick",
                objectID: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
            ),
        ]
    )
}
