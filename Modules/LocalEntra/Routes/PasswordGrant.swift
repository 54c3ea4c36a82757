import Foundation
import Hummingbird
import JOSE

extension LocalEntra {
    /// Resource-owner password credentials (`grant_type=password`, entra-more.md §4): the
    /// client (authenticated as on every grant: a confidential one with its secret) sends the
    /// user's name and password. An unknown user is AADSTS50034, a wrong password AADSTS50126,
    /// both `invalid_grant`; the scopes are checked as on the authorize endpoint.
    func resourceOwnerPassword(_ form: [String: String], client: ClientRegistration) throws -> Grant {
        let username = form["username"] ?? ""
        guard !username.isEmpty, let password = form["password"] else {
            throw EntraError.missingParameter(username.isEmpty ? "username" : "password")
        }
        guard let user = registrations.user(named: username) else { throw EntraError.userNotFound(tenant: tenantID) }
        guard Secrets.equal(user.password, password) else { throw EntraError.invalidUsernameOrPassword }
        let scope = form["scope"] ?? ""
        _ = try RequestedScopes.parse(scope, registrations: registrations, client: client)
        return Grant(userObjectID: user.objectID, clientID: client.clientID, scope: scope, nonce: nil)
    }

    /// `GET /common/userrealm/{user}?api-version=1.0`, which MSAL asks before a password grant:
    /// Entra's answer for a managed (not federated) account, so MSAL goes on with plain ROPC.
    func addUserRealmRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("common/userrealm/:user") { _, context in
            let user = context.parameters.get("user") ?? ""
            let domain = user.split(separator: "@").last.map(String.init) ?? user
            let body: JSONValue = [
                "ver": "1.0", "account_type": "Managed", "domain_name": .string(domain),
                "cloud_instance_name": "microsoftonline.com", "cloud_audience_urn": "urn:federation:MicrosoftOnline",
            ]
            return Self.json(Data(body.serialized()))
        }
    }
}
