import Foundation
import HTTPKit
import HTTPServerKit
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import OIDCClient

/// Forwards `/api/heroes...` to the Heroes API with the signed-in user's access token:
/// method, query, body and status pass through; an expiring token is renewed first, and a
/// 401 from the API gets one renewal and one retry.
struct HeroesProxy: Sendable {
    let services: ClientServices

    func forward(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let suffix = request.uri.path.dropFirst("/api".count)
        let query = request.uri.query.map { "?\($0)" } ?? ""
        guard let url = URL(string: services.configuration.apiURL.absoluteString + suffix + query) else {
            throw ProblemDetails(.badRequest, detail: "The path cannot be forwarded")
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
        return Response(status: response.status, headers: fields, body: .init(byteBuffer: ByteBuffer(data: response.body)))
    }
}
