import Crypto
import Foundation
import HTTPTypes
import HeroAPI
import HummingbirdTesting
import Testing

@testable import HeroAPI

@Suite("/docs: Swagger UI pinned by version and Subresource Integrity, under a Content-Security-Policy")
struct DocumentationPageTests {
    static let base = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.33.1/"

    /// The CSP directives of `policy`, by name.
    static func directives(_ policy: String) -> [String: [String]] {
        var directives: [String: [String]] = [:]
        for directive in policy.split(separator: ";") {
            let words = directive.split(separator: " ").map(String.init)
            if let name = words.first { directives[name] = Array(words.dropFirst()) }
        }
        return directives
    }

    @Test("the page names the exact version; the script and stylesheet carry integrity and crossorigin")
    func pinned() async throws {
        try await withHeroAPI { client, _ in
            let response = try await client.send(.get, "/docs")
            #expect(response.status == .ok)
            let page = response.text
            #expect(!page.contains("@5/"))
            let script = try #require(
                page.firstMatch(of: /<script src="([^"]+)" integrity="(sha384-[A-Za-z0-9+\/=]{64})" crossorigin="anonymous"><\/script>/)
            )
            #expect(script.1 == Self.base + "swagger-ui-bundle.js")
            #expect(script.2 == "sha384-ZPehFMQommnnuaZ4rpxgkgTT2DKFVp4hZC/7pLit+9Lek9T1YGSo23eHFbvNkXkw")
            let style = try #require(
                page.firstMatch(
                    of: /<link rel="stylesheet" href="([^"]+)" integrity="(sha384-[A-Za-z0-9+\/=]{64})" crossorigin="anonymous">/
                )
            )
            #expect(style.1 == Self.base + "swagger-ui.css")
            #expect(style.2 == "sha384-Ov4/wv3j2bmct8cDc5X4ngJZohVPzEmc6uDPH8WeljUxO5vtoykvMEfbu9Vh6RaW")
            // Every external resource is one of the two, pinned.
            #expect(page.matches(of: /(src|href)="https:/).count == 2)

            let redirect = try await client.send(.get, "/docs/oauth2-redirect").text
            #expect(redirect.contains(#"<script src="\#(Self.base)oauth2-redirect.js" integrity="sha384-"#))
            #expect(redirect.contains(#"crossorigin="anonymous""#))
        }
    }

    @Test("the CSP lets scripts and styles come only from the pinned folder, plus the inline start-up by its hash")
    func policy() async throws {
        try await withHeroAPI { client, _ in
            let response = try await client.send(.get, "/docs")
            let directives = Self.directives(try #require(response.headers[.contentSecurityPolicy]))
            #expect(directives["default-src"] == ["'none'"])
            let scripts = try #require(directives["script-src"])
            #expect(scripts.count == 2 && scripts[0] == Self.base)
            #expect(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'") && !scripts.contains("*"))
            #expect(directives["style-src"] == [Self.base])
            #expect(directives["connect-src"] == ["'self'", "https://authority"])
            #expect(directives["frame-ancestors"] == ["'none'"] && directives["base-uri"] == ["'none'"])

            // The hash is that of the page's one inline script, so a browser runs it and nothing else inline.
            let page = response.text
            let inline = try #require(page.firstMatch(of: /<script>([\s\S]*?)<\/script>/)).1
            let digest = Data(SHA256.hash(data: Data(inline.utf8))).base64EncodedString()
            #expect(scripts[1] == "'sha256-\(digest)'")

            let redirect = try await client.send(.get, "/docs/oauth2-redirect")
            let redirectDirectives = Self.directives(try #require(redirect.headers[.contentSecurityPolicy]))
            #expect(redirectDirectives["script-src"] == [Self.base + "oauth2-redirect.js"])
            #expect(redirectDirectives["default-src"] == ["'none'"])
        }
    }

    @Test("the authority's origin in connect-src comes from the token URL, port included")
    func authorityOrigin() {
        let policy = DocumentationRoutes.swaggerPagePolicy(tokenURL: "http://127.0.0.1:9000/tenant/oauth2/v2.0/token")
        #expect(Self.directives(policy)["connect-src"] == ["'self'", "http://127.0.0.1:9000"])
        #expect(Self.directives(DocumentationRoutes.swaggerPagePolicy(tokenURL: "not a url"))["connect-src"] == ["'self'"])
    }
}
