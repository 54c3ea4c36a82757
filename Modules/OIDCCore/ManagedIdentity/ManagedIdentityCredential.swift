import Foundation
import HTTPKit
import HTTPTypes
import JOSE

/// Access tokens of an Azure App Service managed identity, from the endpoint the platform
/// gives the app (`IDENTITY_ENDPOINT`, guarded by the secret `IDENTITY_HEADER`), cached per
/// resource and renewed before they expire.
///
/// The request is App Service's (`api-version=2019-08-01`): `GET {endpoint}?resource=…`, with
/// `client_id` for a user-assigned identity and the secret in `X-IDENTITY-HEADER`. A token is
/// renewed once less than ``renewalMargin`` of its life is left (MSAL's rule), so a caller
/// always gets one that is valid for a while; concurrent callers share one request.
public actor ManagedIdentityCredential {
    /// Where and as whom to ask.
    public struct Configuration: Hashable, Sendable, CustomStringConvertible {
        /// The local endpoint, `IDENTITY_ENDPOINT`.
        public var endpoint: URL
        /// The secret of the endpoint, `IDENTITY_HEADER`; never logged.
        public var secret: String
        /// The client id of a user-assigned identity; nil for the system-assigned one.
        public var clientID: String?

        /// Creates a configuration; the endpoint must be https, or http on loopback.
        public init(endpoint: URL, secret: String, clientID: String?) throws(OIDCError) {
            if let problem = AuthorityURL.problem(with: endpoint) { throw .invalidConfiguration(problem) }
            self.endpoint = endpoint
            self.secret = secret
            self.clientID = clientID
        }

        public var description: String {
            "managed identity \(clientID ?? "(system-assigned)") at \(endpoint.absoluteString)"
        }
    }

    /// Renew a token once less than this is left of its life.
    public static let renewalMargin: TimeInterval = 300

    /// The settings.
    public let configuration: Configuration
    private let httpClient: any HTTPClient
    private let now: @Sendable () -> Date
    private var cached: [String: ManagedIdentityToken] = [:]
    private var inFlight: [String: Task<ManagedIdentityToken, any Error>] = [:]

    /// Creates a credential; nothing is fetched until the first ``token(for:)``.
    public init(configuration: Configuration, httpClient: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.now = now
    }

    /// A token for `resource` (`https://ossrdbms-aad.database.windows.net`, no `/.default`),
    /// from the cache while more than ``renewalMargin`` of it is left, else fetched.
    public func token(for resource: String) async throws(ManagedIdentityError) -> ManagedIdentityToken {
        if let token = cached[resource], token.expiresOn.timeIntervalSince(now()) > Self.renewalMargin { return token }
        let task = inFlight[resource] ?? startFetch(for: resource)
        do {
            return try await task.value
        } catch let error as ManagedIdentityError {
            throw error
        } catch {
            throw ManagedIdentityError(.unreachable, reason: "\(error)")
        }
    }

    /// One request for `resource`, shared by every caller until it ends; its token is cached.
    private func startFetch(for resource: String) -> Task<ManagedIdentityToken, any Error> {
        let request = request(for: resource)
        let (httpClient, now) = (self.httpClient, self.now)
        let task = Task { try await Self.fetch(request, resource: resource, httpClient: httpClient, now: now) }
        inFlight[resource] = task
        Task { await self.finish(task, for: resource) }
        return task
    }

    private func finish(_ task: Task<ManagedIdentityToken, any Error>, for resource: String) async {
        if let token = try? await task.value { cached[resource] = token }
        inFlight[resource] = nil
    }

    private static let identityHeader = HTTPField.Name("X-IDENTITY-HEADER")!

    private func request(for resource: String) -> HTTPClientRequest {
        var query = [("api-version", "2019-08-01"), ("resource", resource)]
        if let clientID = configuration.clientID { query.append(("client_id", clientID)) }
        let separator = configuration.endpoint.query == nil ? "?" : "&"
        let url = URL(string: configuration.endpoint.absoluteString + separator + FormEncoding.encodeQuery(query)) ?? configuration.endpoint
        return HTTPClientRequest(url: url, headerFields: [Self.identityHeader: configuration.secret, .accept: "application/json"])
    }

    private static func fetch(
        _ request: HTTPClientRequest,
        resource: String,
        httpClient: any HTTPClient,
        now: @Sendable () -> Date
    ) async throws(ManagedIdentityError) -> ManagedIdentityToken {
        let response: HTTPClientResponse
        do {
            response = try await httpClient.send(request)
        } catch {
            throw ManagedIdentityError(.unreachable, reason: error.description)
        }
        guard response.status == .ok else {
            // App Service and MSAL: {"statusCode": …, "message": …}; the message names no secret.
            let message = (try? JSONDecoder().decode(Refusal.self, from: response.body))?.message ?? "no message"
            throw ManagedIdentityError(.refused, reason: "the endpoint answered \(response.status.code): \(message)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
            let expiresOn = TimeInterval(answer.expiresOn), !answer.accessToken.isEmpty
        else {
            throw ManagedIdentityError(.invalidAnswer, reason: "the answer has no access_token and expires_on (epoch seconds)")
        }
        let token = ManagedIdentityToken(
            accessToken: answer.accessToken,
            expiresOn: Date(timeIntervalSince1970: expiresOn),
            resource: resource
        )
        guard token.expiresOn > now() else { throw ManagedIdentityError(.invalidAnswer, reason: "the token has already expired") }
        return token
    }

    /// The 200 answer (App Service: `expires_on` is a string of epoch seconds).
    private struct Answer: Decodable {
        let accessToken: String
        let expiresOn: String
        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresOn = "expires_on"
        }
    }

    /// An error answer.
    private struct Refusal: Decodable {
        let message: String?
    }
}

/// An access token of a managed identity. Its description names the resource and the expiry,
/// never the token.
public struct ManagedIdentityToken: Sendable, CustomStringConvertible {
    /// The bearer token (for PostgreSQL: the password).
    public let accessToken: String
    /// When it expires.
    public let expiresOn: Date
    /// The resource it is for.
    public let resource: String

    public var description: String { "token for \(resource), expires \(expiresOn.formatted(.iso8601))" }
}

/// Why a managed-identity token could not be had. Descriptions hold no secret and no token.
public struct ManagedIdentityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Hashable, Sendable {
        /// The endpoint could not be reached.
        case unreachable
        /// The endpoint refused (wrong secret, unknown identity, bad request).
        case refused
        /// The answer was not a token.
        case invalidAnswer
    }

    /// What failed.
    public let code: Code
    /// Details, safe to log.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "Cannot get a managed-identity token: \(reason)" }
}
