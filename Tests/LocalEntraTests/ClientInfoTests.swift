import Foundation
import HTTPKit
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import OIDCCore
import Testing

/// `client_info` (entra-more.md §3): MSAL sends `client_info=1` and keys its accounts on the
/// answer, `<uid>.<utid>`.
@Suite("client_info in token responses")
struct ClientInfoTests {
    @Test("client_info=1 adds base64url {uid: the user's oid, utid: the tenant} to a user's tokens")
    func userGrant() async throws {
        try await withLocalEntra { client, _ in
            let response = try await redeem(client, code: try await code(client), extra: [("client_info", "1")])
            #expect(response.status == .ok)
            let body = json(response)
            let info = try #require(body["client_info"] as? String)
            let decoded = try #require(Base64URL.decode(info))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(decoded)) as? [String: String])
            #expect(object == ["uid": DevelopmentTenant.hero.objectID, "utid": tenant])
            let access = claims(try #require(body["access_token"] as? String))
            #expect(access["oid"] == .string(object["uid"] ?? ""))

            // A refresh with client_info=1 answers it too; without, it is absent.
            let refresh = try #require(body["refresh_token"] as? String)
            let renewed = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "refresh_token"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                    ("refresh_token", refresh), ("client_info", "1"),
                ]
            )
            #expect(json(renewed)["client_info"] as? String == info)
        }
    }

    @Test("without client_info=1, or for an application alone, there is none")
    func absent() async throws {
        try await withLocalEntra { client, _ in
            let plain = try await redeem(client, code: try await code(client))
            #expect(json(plain)["client_info"] == nil)
            let app = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "client_credentials"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                    ("scope", "\(heroesAPI.appIDURI)/.default"), ("client_info", "1"),
                ]
            )
            #expect(app.status == .ok)
            #expect(json(app)["client_info"] == nil, "client credentials have no account")
        }
    }
}
