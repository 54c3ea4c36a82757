import Foundation

/// The HTML page at `/`.
enum IndexPage {
    static func html(authority: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Heroes API</title></head>
        <body>
        <h1>Heroes API</h1>
        <p>A resource server protected by Microsoft Entra ID access tokens.</p>
        <p>\(escape(authority))</p>
        <ul>
        <li><a href="/docs">API documentation (Swagger UI)</a></li>
        <li><a href="/openapi.json">OpenAPI document</a></li>
        <li><a href="/healthz">Health</a> and <a href="/readyz">readiness</a></li>
        </ul>
        </body>
        </html>
        """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
