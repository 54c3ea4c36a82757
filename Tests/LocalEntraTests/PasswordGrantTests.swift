import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import OIDCCore
import Testing

/// Resource-owner password credentials and the user-realm lookup MSAL makes first.
@Suite("local-entra: the password grant (ROPC)")
struct PasswordGrantTests {
    func passwordGrant(
        _ client: some TestClientProtocol,
        username: String = DevelopmentTenant.hero.username,
        password: String? = DevelopmentTenant.hero.password,
        scope: String = "openid profile offline_access \(heroesAPI.appIDURI)/Heroes.Read",
        secret: String = heroClient.secret!
    ) async throws -> TestResponse {
        var fields = [
            ("grant_type", "password"), ("client_id", heroClient.clientID), ("client_secret", secret), ("username", username),
            ("scope", scope), ("client_info", "1"),
        ]
        if let password { fields.append(("password", password)) }
        return try await postForm(client, "/\(tenant)/oauth2/v2.0/token", fields)
    }

    @Test("the right password gives the user's access, ID and refresh tokens, and client_info")
    func signsIn() async throws {
        try await withLocalEntra { client, _ in
            let response = try await passwordGrant(client)
            #expect(response.status == .ok)
            let body = json(response)
            let access = claims(try #require(body["access_token"] as? String))
            #expect(access["oid"] == .string(DevelopmentTenant.hero.objectID))
            #expect(access["scp"] == "Heroes.Read" && access["aud"] == .string(heroesAPI.clientID))
            #expect(claims(try #require(body["id_token"] as? String))["preferred_username"] == .string(DevelopmentTenant.hero.username))
            #expect(body["refresh_token"] is String && body["client_info"] is String)
        }
    }

    @Test(
        "wrong credentials and requests are refused as Entra refuses them",
        arguments: [
            ("wrong password", "invalid_grant", 50126), ("unknown user", "invalid_grant", 50034),
            ("no password", "invalid_request", 900144), ("scope not configured", "invalid_scope", 65005),
        ]
    )
    func refused(case name: String, error: String, code: Int) async throws {
        try await withLocalEntra { client, _ in
            let response: TestResponse
            switch name {
            case "wrong password": response = try await passwordGrant(client, password: "not-the-password")
            case "unknown user": response = try await passwordGrant(client, username: "nobody@localentra.dev")
            case "no password": response = try await passwordGrant(client, password: nil)
            default: response = try await passwordGrant(client, scope: "openid \(secondAPI.appIDURI)/Things.Read")
            }
            #expect(response.status == .badRequest)
            let body = json(response)
            #expect(body["error"] as? String == error, "\(name): \(body["error"] ?? "no error")")
            #expect(body["error_codes"] as? [Int] == [code])
            #expect(body["access_token"] == nil)
            #expect(!(body["error_description"] as? String ?? "").contains("nobody@localentra.dev"), "no user name in the error")
        }
    }

    @Test("a confidential client must still authenticate: a wrong secret is 401 AADSTS7000215")
    func clientAuthentication() async throws {
        try await withLocalEntra { client, _ in
            let response = try await passwordGrant(client, secret: "wrong")
            #expect(response.status == .unauthorized)
            #expect(json(response)["error_codes"] as? [Int] == [7_000_215])
        }
    }

    @Test("the user-realm lookup answers as Entra does for a managed account")
    func userRealm() async throws {
        try await withLocalEntra { client, _ in
            let response = try await client.execute(uri: "/common/userrealm/hero@localentra.dev?api-version=1.0", method: .get)
            #expect(response.status == .ok)
            let body = json(response) as? [String: String]
            #expect(
                body == [
                    "ver": "1.0", "account_type": "Managed", "domain_name": "localentra.dev",
                    "cloud_instance_name": "microsoftonline.com", "cloud_audience_urn": "urn:federation:MicrosoftOnline",
                ]
            )
        }
    }
}
