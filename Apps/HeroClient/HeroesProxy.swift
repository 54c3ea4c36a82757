import Foundation
import HTTPKit
import HTTPServerKit
import HTTPTypes
import HeroDomain
import Hummingbird
import NIOCore
import NIOFoundationCompat
import OIDCClient

/// Forwards `/api/heroes...` to the Heroes API with the signed-in user's access token:
/// method, query, body and status pass through, a `rel="next"` link rewritten to this proxy's
/// path (``ProxiedLink``); an expiring token is renewed first, and a
/// 401 from the API gets one renewal and one retry.
///
/// The upstream path is built from the route that matched and a hero id that parsed, never
/// from the raw path: `//api/heroes` or `/api/heroes/../x` cannot reach another API path.
struct HeroesProxy: Sendable {
    let services: ClientServices

    /// The upstream path for the matched route: the collection, or one hero by a valid id.
    static func upstreamPath(id: String?) throws -> String {
        guard let id else { return "/heroes/" }
        guard let hero = HeroID(id) else { throw ProblemDetails(.notFound, detail: "Hero with id '\(id)' not found") }
        return "/heroes/\(hero)"
    }

    func forward(_ request: Request, context: some RequestContext) async throws -> Response {
        let path = try Self.upstreamPath(id: context.parameters.get("id"))
        let body = try await request.body.collect(upTo: 64 * 1024)
        let query = request.uri.query.map { "?\($0)" } ?? ""
        guard let url = URL(string: services.configuration.apiURL.absoluteString + path + query) else {
            throw ProblemDetails(.badRequest, detail: "The query cannot be forwarded")
        }
        var upstream = HTTPClientRequest(method: request.method, url: url, body: body.readableBytes > 0 ? Data(buffer: body) : nil)
        if let contentType = request.headers[.contentType] { upstream.headerFields[.contentType] = contentType }

        let response: HTTPClientResponse
        do {
            response = try await services.callAPI(upstream)
        } catch let error as TokenCacheError {
            throw ProblemDetails(
                .unauthorized,
                detail: "\(error.description). Sign in at \(services.loginURL), then try again.",
                headerFields: [.wwwAuthenticate: "Bearer"]
            )
        } catch let error as HTTPClientError {
            throw ProblemDetails(.badGateway, detail: "The Heroes API could not be reached: \(error.description)")
        }
        var fields = HTTPFields()
        for name in [HTTPField.Name.contentType, .location, .wwwAuthenticate, .allow] {
            if let value = response.headerFields[name] { fields[name] = value }
        }
        if let link = response.headerFields[ProxiedLink.name].flatMap({ ProxiedLink.rewrite($0, upstream: url) }) {
            fields[ProxiedLink.name] = link
        }
        return Response(status: response.status, headers: fields, body: .init(byteBuffer: ByteBuffer(data: response.body)))
    }
}
