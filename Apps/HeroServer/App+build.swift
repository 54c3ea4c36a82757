import AccessTokenAuth
import AppConfiguration
import HTTPKit
import HTTPServerKit
import HeroAPI
import HeroDomain
import Hummingbird
import JOSE
import Logging
import NIOCore
import OIDCCore
import ServiceLifecycle

/// Builds hero-server from its parts; the process entry point and the tests both call this.
/// `services` run beside the HTTP server (PostgreSQL's pool) and stop after it.
func buildApplication(
    configuration: ServerConfiguration,
    repository: some HeroRepository,
    services: [any Service] = [],
    httpClient: any HTTPClient,
    logger: Logger
) -> some ApplicationProtocol {
    let keys = JWKSCache(
        source: .discovery(issuer: configuration.policy.discoveryIssuer, tenantID: configuration.policy.requiredTenantID),
        httpClient: httpClient,
        policy: JWKSCache.Policy(maximumStaleness: configuration.keysMaximumStaleness),
        logger: logger
    )
    let validator = AccessTokenValidator(policy: configuration.policy, keys: keys)
    let router = buildRouter(configuration: configuration, repository: repository, validator: validator)
    return Application(
        router: router,
        server: .limitedHTTP1(limits: configuration.limits, additionalChannelHandlers: { [HeaderOverflowHandler()] }),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hero-server"),
        services: services,
        onServerRunning: { _ in
            // Load the keys before the first request needs them; failing here is not fatal:
            // the cache retries, and /readyz reports the state.
            await keys.prefetch()
        },
        logger: logger
    )
}

/// The routes of hero-server.
func buildRouter(
    configuration: ServerConfiguration,
    repository: some HeroRepository,
    validator: AccessTokenValidator
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(
        middleware: RequestLogMiddleware { context, fields in
            guard let principal = context.principal else { return }
            fields["oid"] = .string(principal.objectID ?? "-")
            fields["azp"] = .string(principal.clientID ?? "-")
        }
    )
    router.add(middleware: ProblemDetailsMiddleware())
    router.add(middleware: HTMLPageHeadersMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(methodsByPath: HeroRoute.methodsByPath))

    HeroController(repository: repository).addRoutes(to: router, authentication: AccessTokenMiddleware(validator: validator))
    let endpoints = configuration.authorityEndpoints
    DocumentationRoutes.add(
        to: router,
        document: HeroAPIDocument(
            authorizationURL: endpoints.authorize,
            tokenURL: endpoints.token,
            scopePrefix: "api://\(configuration.apiClientID)/"
        )
    )

    let index = ByteBuffer(string: IndexPage.html(authority: configuration.authorityDescription))
    router.get { _, _ in
        Response(
            status: .ok,
            // The index has no script, style or image: nothing may load, nobody may frame it.
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'"],
            body: .init(byteBuffer: index)
        )
    }
    router.get("healthz") { _, _ in
        EditedResponse.json(Health(status: "ok"))
    }
    router.get("readyz") { _, _ in
        try await readiness(repository: repository, keys: validator.keys)
    }
    let version = Version(version: BuildInfo.version, commit: configuration.commit)
    router.get("version") { _, _ in
        EditedResponse.json(version, headers: [.cacheControl: "no-store"])
    }
    return router
}

/// The body of `/version`: what is running, so a deploy can tell the new build from the old.
struct Version: ResponseEncodable {
    let version: String
    /// Nil (JSON null) for a build that did not record its commit.
    let commit: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(commit, forKey: .commit)
    }

    enum CodingKeys: String, CodingKey {
        case version, commit
    }
}

/// The body of `/healthz`: `{"status":"ok"}` while the process serves.
struct Health: ResponseEncodable {
    let status: String
}

/// The body of `/readyz`: the overall state and that of each dependency.
struct Readiness: ResponseEncodable {
    let status: String
    let database: String
    let signingKeys: String

    enum CodingKeys: String, CodingKey {
        case status, database
        case signingKeys = "signing_keys"
    }
}

/// 200 when the database answers and the signing keys are loaded, 503 otherwise.
private func readiness(repository: some HeroRepository, keys: any KeySource) async throws -> EditedResponse<Readiness> {
    let database: Bool
    do {
        _ = try await repository.list(try Page(limit: 1, offset: 0))
        database = true
    } catch {
        database = false
    }
    // Loads the keys if they are missing (the attempt is rate-limited by the cache).
    let signingKeys = await keys.currentKeys() != nil
    let ready = database && signingKeys
    let body = Readiness(
        status: ready ? "ready" : "not ready",
        database: database ? "ok" : "unavailable",
        signingKeys: signingKeys ? "loaded" : "missing"
    )
    return .json(body, status: ready ? .ok : .serviceUnavailable, headers: [.cacheControl: "no-store"])
}
