import Foundation
import HTTPKit
import Hummingbird
import OIDCCore

/// A client that authenticated on a token request, and how (`azpacr`: 0 public, 1 secret,
/// 2 certificate, entra.md "Token contents").
struct AuthenticatedClient: Sendable {
    /// Its registration.
    let registration: ClientRegistration
    /// The `azpacr` / `appidacr` value of the tokens it gets.
    let authenticationLevel: Int
}

extension LocalEntra {
    /// RFC 7523 §2.2: the client assertion type of a signed JWT.
    static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// Authenticates the client of a token request: `client_secret` in the body or HTTP Basic,
    /// or a certificate-signed `client_assertion` (RFC 7521 §4.2), never two of them (RFC 6749
    /// §2.3). A confidential client must present one (AADSTS7000218), a public client none
    /// (AADSTS700025).
    func authenticateClient(_ form: [String: String], request: Request) throws(EntraError) -> AuthenticatedClient {
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let basic = request.headers[.authorization], basic.lowercased().hasPrefix("basic ") {
            guard secret == nil else { throw .invalidRequest("Send the client secret either in the body or with HTTP Basic, not both.") }
            // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
            guard let decoded = Data(base64Encoded: String(basic.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = FormEncoding.decodeComponent(text[..<colon]),
                let password = FormEncoding.decodeComponent(text[text.index(after: colon)...])
            else { throw .invalidRequest("The Basic authorization header is malformed.") }
            guard clientID == nil || clientID == id else { throw .invalidRequest("The client_id does not match the Basic credentials.") }
            clientID = id
            secret = password
        }
        let assertion = try clientAssertion(form)
        // RFC 7521 §4.2: with an assertion, client_id is optional; the assertion's `sub` names the client.
        if clientID == nil, let assertion { clientID = ClientAssertion.unverifiedSubject(assertion) }
        guard let clientID, let client = registrations.client(clientID) else { throw .applicationNotFound(clientID ?? "") }
        if client.isPublic {
            guard secret == nil, assertion == nil else { throw .publicClientWithCredential }
            return AuthenticatedClient(registration: client, authenticationLevel: 0)
        }
        switch (secret, assertion) {
        case (.some, .some):
            throw .twoCredentials
        case (.some(let secret), nil):
            guard let expected = client.secret, Secrets.equal(secret, expected) else { throw .invalidClientSecret }
            return AuthenticatedClient(registration: client, authenticationLevel: 1)
        case (nil, .some(let assertion)):
            try ClientAssertion(
                keys: clientKeys[client.clientID.lowercased()] ?? [],
                clientID: client.clientID,
                audiences: tokenEndpoints(request)
            )
            .verify(assertion, now: now())
            return AuthenticatedClient(registration: client, authenticationLevel: 2)
        case (nil, nil):
            throw .missingCredential
        }
    }

    /// The `client_assertion`, when the request carries one with the JWT bearer type.
    private func clientAssertion(_ form: [String: String]) throws(EntraError) -> String? {
        switch (form["client_assertion_type"], form["client_assertion"]) {
        case (nil, nil): return nil
        case (.some, nil): throw .missingParameter("client_assertion")
        case (nil, .some): throw .missingParameter("client_assertion_type")
        case (.some(let type), .some(let assertion)):
            guard type == Self.jwtBearerAssertionType else { throw .unsupportedAssertionType(type) }
            return assertion
        }
    }

    /// The addresses a client assertion's `aud` may name: this tenant's v2 token endpoint,
    /// exactly as discovery advertises it (entra-more.md §5: Entra refuses another host).
    func tokenEndpoints(_ request: Request) -> [String] {
        [issuer(request).entraAuthority.tokenEndpoint.absoluteString]
    }
}
