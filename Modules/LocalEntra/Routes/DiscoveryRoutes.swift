import Foundation
import Hummingbird
import JOSE
import NIOCore
import NIOFoundationCompat
import OIDCCore

extension LocalEntra {
    func addDiscoveryRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(":tenant/v2.0/.well-known/openid-configuration") { request, context in
            try checkTenant(context)
            return Self.json(discoveryDocument(authority: authority(request)))
        }
        router.get(":tenant/discovery/v2.0/keys") { request, context in
            try checkTenant(context)
            let issuer = EntraAuthority(host: authority(request), tenantID: tenantID).issuer
            let entries = try await keys.publishedKeys(now: now()).map { key -> JSONValue in
                // Entra's entries also carry `x5t` (equal to `kid`) and the issuer.
                guard case .object(var members) = key.publicJWK.jsonValue else { return key.publicJWK.jsonValue }
                members["x5t"] = .string(key.keyID ?? "")
                members["issuer"] = .string(issuer)
                return .object(members)
            }
            return Self.json(Data(JSONValue.object(["keys": .array(entries)]).serialized()))
        }
    }

    /// The provider metadata, with Entra's fields (entra.md, Discovery and keys).
    func discoveryDocument(authority: String) -> Data {
        let entra = EntraAuthority(host: authority, tenantID: tenantID)
        let document: JSONValue = [
            "issuer": .string(entra.issuer),
            "authorization_endpoint": .string(entra.authorizationEndpoint.absoluteString),
            "token_endpoint": .string(entra.tokenEndpoint.absoluteString),
            "device_authorization_endpoint": .string(entra.deviceAuthorizationEndpoint.absoluteString),
            "end_session_endpoint": .string(entra.endSessionEndpoint.absoluteString),
            "jwks_uri": .string(entra.jwksURI.absoluteString),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": [
                "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud",
                "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email",
            ],
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
            "tenant_region_scope": "EU",
            "cloud_instance_name": "localentra.dev",
            "frontchannel_logout_supported": true,
            "http_logout_supported": true,
        ]
        return Data(document.serialized())
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}
