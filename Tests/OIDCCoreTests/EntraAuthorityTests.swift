import Foundation
import OIDCCore
import Testing

@Suite("Entra authority addresses")
struct EntraAuthorityTests {
    static let tenant = "11111111-2222-3333-4444-555555555555"

    @Test("the public cloud: v2 and sts.windows.net v1 issuers, Entra's endpoint paths")
    func publicCloud() {
        let authority = EntraAuthority(host: "https://login.microsoftonline.com/", tenantID: Self.tenant)
        #expect(authority.host == "https://login.microsoftonline.com")
        #expect(authority.issuer == "https://login.microsoftonline.com/\(Self.tenant)/v2.0")
        #expect(authority.v1Issuer == "https://sts.windows.net/\(Self.tenant)/")
        #expect(authority.acceptedIssuers == [authority.issuer, "https://sts.windows.net/\(Self.tenant)/"])
        #expect(
            authority.discoveryURL.absoluteString
                == "https://login.microsoftonline.com/\(Self.tenant)/v2.0/.well-known/openid-configuration"
        )
        #expect(authority.authorizationEndpoint.absoluteString == "https://login.microsoftonline.com/\(Self.tenant)/oauth2/v2.0/authorize")
        #expect(authority.tokenEndpoint.absoluteString == "https://login.microsoftonline.com/\(Self.tenant)/oauth2/v2.0/token")
        #expect(
            authority.deviceAuthorizationEndpoint.absoluteString
                == "https://login.microsoftonline.com/\(Self.tenant)/oauth2/v2.0/devicecode"
        )
        #expect(authority.jwksURI.absoluteString == "https://login.microsoftonline.com/\(Self.tenant)/discovery/v2.0/keys")
    }

    @Test("a loopback authority's v1 issuer is under its own host; another host has none we can know")
    func v1Issuers() {
        let local = EntraAuthority(host: "http://127.0.0.1:9000", tenantID: Self.tenant)
        #expect(local.v1Issuer == "http://127.0.0.1:9000/\(Self.tenant)/")
        let sovereign = EntraAuthority(host: "https://login.microsoftonline.us", tenantID: Self.tenant)
        #expect(sovereign.v1Issuer == nil)
        #expect(sovereign.acceptedIssuers == [sovereign.issuer])
    }

    @Test("an issuer of Entra's shape gives back its authority; others give none")
    func fromIssuer() {
        let authority = EntraAuthority(host: "https://login.microsoftonline.com", tenantID: Self.tenant)
        #expect(EntraAuthority(issuer: authority.issuer) == authority)
        #expect(
            EntraAuthority(issuer: "http://localhost:9000/common/v2.0") == EntraAuthority(host: "http://localhost:9000", tenantID: "common")
        )
        for other in ["https://idp.example/realms/heroes", "https://sts.windows.net/\(Self.tenant)/", "/v2.0", "https://x//v2.0"] {
            #expect(EntraAuthority(issuer: other) == nil, "\(other)")
        }
    }

    @Test("the development tenant holds the contract's documented values (ARCHITECTURE.md, development defaults)")
    func developmentTenant() {
        #expect(DevelopmentTenant.tenantID == "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10")
        #expect(DevelopmentTenant.apiClientID == "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c")
        #expect(DevelopmentTenant.apiAppIDURI == "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c")
        #expect(DevelopmentTenant.secondAPIClientID == "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
        #expect(DevelopmentTenant.clientID == "3f2e1d0c-9b8a-4c7d-a6e5-4f3e2d1c0b9a")
        #expect(DevelopmentTenant.clientSecret == "local-entra-dev-secret")
        #expect(DevelopmentTenant.redirectURI == "http://localhost:8000/auth/callback")
        #expect(DevelopmentTenant.clientAppRoles == ["Heroes.Read", "Heroes.Write"])
        #expect(DevelopmentTenant.hero.username == "hero@localentra.dev" && DevelopmentTenant.hero.password == "hero-password")
        #expect(DevelopmentTenant.hero.displayName == "Demo Hero")
        #expect(
            DevelopmentTenant.sidekick.username == "sidekick@localentra.dev" && DevelopmentTenant.sidekick.password == "sidekick-password"
        )
        #expect(DevelopmentTenant.authority.issuer == "http://127.0.0.1:9000/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/v2.0")
        #expect(DevelopmentTenant.clientScopes.prefix(3) == ["openid", "profile", "offline_access"])
        #expect(DevelopmentTenant.clientScopes.contains("api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/Heroes.Delete"))
    }

    @Test("trailing slashes are trimmed, all of them, and nothing else")
    func trimming() {
        #expect(AuthorityURL.trimmingTrailingSlashes("https://a.example//") == "https://a.example")
        #expect(AuthorityURL.trimmingTrailingSlashes("https://a.example/x") == "https://a.example/x")
        #expect(AuthorityURL.trimmingTrailingSlashes("") == "")
    }

    @Test("PKCE: RFC 7636 appendix B, and new verifiers are 43 unreserved characters")
    func pkce() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let verifiers = (0..<20).map { _ in PKCE.makeVerifier() }
        #expect(Set(verifiers).count == 20)
        #expect(verifiers.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_".contains($0) } })
    }
}
