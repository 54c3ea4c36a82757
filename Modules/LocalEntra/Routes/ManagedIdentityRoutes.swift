import Foundation
import HTTPTypes
import Hummingbird
import JOSE
import OIDCCore

extension LocalEntra {
    /// App Service's managed-identity endpoint, emulated for the development identity:
    /// `GET /msi/token?resource=…&api-version=2019-08-01[&client_id=…]` with the secret in
    /// `X-IDENTITY-HEADER`. Only added when the configuration has an identity header.
    func addManagedIdentityRoutes<Context: RequestContext>(to router: Router<Context>, identity: ManagedIdentity) {
        router.get("msi/token") { request, _ -> Response in
            do {
                return try await managedIdentityToken(request, identity: identity)
            } catch let refusal as ManagedIdentityRefusal {
                return refusal.response
            }
        }
    }

    private func managedIdentityToken(_ request: Request, identity: ManagedIdentity) async throws -> Response {
        // The header is App Service's defence against SSRF: without the secret, nothing.
        guard let secret = request.headers[ManagedIdentity.headerName], !secret.isEmpty else {
            throw ManagedIdentityRefusal(.unauthorized, "The X-IDENTITY-HEADER header is missing.")
        }
        guard Secrets.equal(secret, identity.secret) else {
            throw ManagedIdentityRefusal(.unauthorized, "The X-IDENTITY-HEADER header is not this endpoint's.")
        }
        let query = request.uri.queryParameters
        guard query["api-version"].map(String.init) == "2019-08-01" else {
            throw ManagedIdentityRefusal(.badRequest, "The api-version must be 2019-08-01.")
        }
        guard let resource = query["resource"].map(String.init), !resource.isEmpty, !resource.hasSuffix("/.default") else {
            throw ManagedIdentityRefusal(.badRequest, "The resource is missing, or ends with /.default (send the resource URI alone).")
        }
        let selectors = ["client_id", "principal_id", "object_id", "mi_res_id"].filter { query[Substring($0)] != nil }
        guard selectors.count <= 1 else {
            throw ManagedIdentityRefusal(
                .badRequest,
                "Name the identity with at most one of client_id, principal_id, object_id, mi_res_id."
            )
        }
        // The development identity answers to its client id, its object id, or no selector.
        let named = selectors.first.flatMap { query[Substring($0)].map(String.init) }
        guard named == nil || named == identity.clientID || named == identity.objectID else {
            throw ManagedIdentityRefusal(.badRequest, "No managed identity found for the specified identifier.")
        }
        let issued = try issuer(request).managedIdentityToken(
            resource: resource,
            clientID: identity.clientID,
            objectID: identity.objectID,
            key: try await keys.current(),
            now: now()
        )
        let notBefore = now().timeIntervalSince1970.rounded(.down)
        return Self.tokenJSON([
            "access_token": .string(issued.token),
            "expires_on": .string(String(Int(issued.expiresOn.timeIntervalSince1970))),
            "not_before": .string(String(Int(notBefore))),
            "resource": .string(resource),
            "token_type": "Bearer",
            "client_id": .string(identity.clientID),
        ])
    }
}

/// The managed identity local-entra's `/msi/token` serves, and the secret it demands.
public struct ManagedIdentity: Sendable {
    /// The header App Service's endpoint checks.
    static let headerName = HTTPField.Name("X-IDENTITY-HEADER")!

    /// The secret, as App Service puts it in `IDENTITY_HEADER`.
    public var secret: String
    /// The identity's client id.
    public var clientID: String
    /// The identity's object (principal) id.
    public var objectID: String

    /// Creates an identity; the defaults are the development tenant's.
    public init(
        secret: String,
        clientID: String = DevelopmentTenant.managedIdentityClientID,
        objectID: String = DevelopmentTenant.managedIdentityObjectID
    ) {
        self.secret = secret
        self.clientID = clientID
        self.objectID = objectID
    }
}

/// A refusal of the managed-identity endpoint, in the shape MSAL reads: `statusCode`, `message`.
struct ManagedIdentityRefusal: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var response: Response {
        let body: JSONValue = ["statusCode": .number(Double(status.code)), "message": .string(message)]
        var response = LocalEntra.json(Data(body.serialized()), status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
