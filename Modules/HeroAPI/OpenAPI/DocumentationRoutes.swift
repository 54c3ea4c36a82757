import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/openapi.json` and `/docs`, the Swagger UI page, as FastAPI serves them (assets from a CDN),
/// but with the assets pinned: an exact version, Subresource Integrity on each, and a
/// Content-Security-Policy that lets scripts and styles come only from that version's folder.
public enum DocumentationRoutes {
    /// The Swagger UI release the pages load (npm package `swagger-ui-dist`).
    public static let swaggerUIVersion = "5.33.1"
    /// The folder of that release on the CDN; the CSP names it, so no other file there runs.
    static let assetBase = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@\(swaggerUIVersion)/"

    /// SHA-384 digests (W3C Subresource Integrity) of the release's files. Computed from the
    /// files of swagger-ui-dist 5.33.1 as two PyPI packages vendor them unmodified and
    /// byte-identical: flask-swagger-ui 5.33.1 (`flask_swagger_ui/dist`, its VERSION file
    /// says v5.33.1) and drf-spectacular-sidecar 2026.10.1 (`static/.../swagger-ui-dist`); the
    /// bundle's build info says PACKAGE_VERSION "5.33.1". A new version needs new digests:
    /// `openssl dgst -sha384 -binary FILE | openssl base64 -A`.
    static let integrity = (
        bundle: "sha384-ZPehFMQommnnuaZ4rpxgkgTT2DKFVp4hZC/7pLit+9Lek9T1YGSo23eHFbvNkXkw",
        stylesheet: "sha384-Ov4/wv3j2bmct8cDc5X4ngJZohVPzEmc6uDPH8WeljUxO5vtoykvMEfbu9Vh6RaW",
        redirect: "sha384-XuY48ztmqRBrZqX+bDrPUqkTumNohu9Bl+yztOEp/hDTS5qXIApmbiD04MrTFpjk"
    )

    /// Adds the routes; the document goes through the context's response encoder, as every
    /// JSON body does.
    public static func add<Context: RequestContext>(to router: Router<Context>, document: HeroAPIDocument) {
        router.get("openapi.json") { _, _ in
            EditedResponse.json(document)
        }
        let page = ByteBuffer(string: swaggerPage)
        let pagePolicy = swaggerPagePolicy(tokenURL: document.tokenURL)
        router.get("docs") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: pagePolicy],
                body: .init(byteBuffer: page)
            )
        }
        let redirectPage = ByteBuffer(string: oauth2RedirectPage)
        router.get("docs/oauth2-redirect") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: redirectPagePolicy],
                body: .init(byteBuffer: redirectPage)
            )
        }
    }

    /// The policy of `/docs`: scripts and styles from the pinned folder only, plus the one
    /// inline script by its hash (CSP 3 §8.3, no 'unsafe-inline'); data: images (Swagger UI's
    /// icons are in its stylesheet); requests to this server and to the authority's token
    /// endpoint (Swagger UI redeems the sign-in code there); nothing else.
    static func swaggerPagePolicy(tokenURL: String) -> String {
        let authority = URL(string: tokenURL).flatMap(origin).map { " " + $0 } ?? ""
        return "default-src 'none'; script-src \(assetBase) '\(bootstrapScriptHash)'; style-src \(assetBase); img-src 'self' data:; "
            + "connect-src 'self'\(authority); base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    /// The policy of the sign-in redirect page: its one script, nothing else.
    static let redirectPagePolicy =
        "default-src 'none'; script-src \(assetBase)oauth2-redirect.js; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// `scheme://host[:port]` of `url`, as CSP source expressions write an origin.
    private static func origin(_ url: URL) -> String? {
        guard let scheme = url.scheme, let host = url.host, scheme == "https" || scheme == "http" else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// The script that starts Swagger UI, inline; `bootstrapScriptHash` must be its digest.
    static let bootstrapScript = """

        SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          presets: [SwaggerUIBundle.presets.apis],
          layout: "BaseLayout",
          deepLinking: true,
          validatorUrl: null,
          oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect"
        }).initOAuth({ usePkceWithAuthorizationCodeGrant: true });

        """

    /// The SHA-256 of ``bootstrapScript`` in CSP's form (a test recomputes it).
    static let bootstrapScriptHash = "sha256-U/FcC+DM9yGdE1SFfnMotqsXECPzjzHFp5QphyFbtpM="

    static let swaggerPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Heroes API - Swagger UI</title>
        <link rel="stylesheet" href="\(assetBase)swagger-ui.css" integrity="\(integrity.stylesheet)" crossorigin="anonymous">
        </head>
        <body>
        <div id="swagger-ui"></div>
        <script src="\(assetBase)swagger-ui-bundle.js" integrity="\(integrity.bundle)" crossorigin="anonymous"></script>
        <script>\(bootstrapScript)</script>
        </body>
        </html>
        """

    /// Where the authority sends the browser back after "Authorize" in Swagger UI.
    static let oauth2RedirectPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Heroes API - Swagger UI: OAuth2 redirect</title></head>
        <body>
        <script src="\(assetBase)oauth2-redirect.js" integrity="\(integrity.redirect)" crossorigin="anonymous"></script>
        </body>
        </html>
        """
}
