import Hummingbird
import NIOCore

/// `/openapi.json` and `/docs`, the Swagger UI page, as FastAPI serves them (assets from a CDN).
public enum DocumentationRoutes {
    /// Adds the two routes; the document goes through the context's response encoder, as
    /// every JSON body does.
    public static func add<Context: RequestContext>(to router: Router<Context>, document: HeroAPIDocument) {
        router.get("openapi.json") { _, _ in
            EditedResponse.json(document)
        }
        let page = ByteBuffer(string: swaggerPage)
        router.get("docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
        }
        let redirectPage = ByteBuffer(string: oauth2RedirectPage)
        router.get("docs/oauth2-redirect") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: redirectPage))
        }
    }

    static let swaggerPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Heroes API - Swagger UI</title>
        <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        </head>
        <body>
        <div id="swagger-ui"></div>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
        <script>
        SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          presets: [SwaggerUIBundle.presets.apis],
          layout: "BaseLayout",
          deepLinking: true,
          oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect"
        }).initOAuth({ usePkceWithAuthorizationCodeGrant: true });
        </script>
        </body>
        </html>
        """

    /// Where the authority sends the browser back after "Authorize" in Swagger UI.
    static let oauth2RedirectPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Heroes API - Swagger UI: OAuth2 redirect</title></head>
        <body>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/oauth2-redirect.js"></script>
        </body>
        </html>
        """
}
