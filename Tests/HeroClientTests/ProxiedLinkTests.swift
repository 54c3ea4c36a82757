import Foundation
import HTTPTypes
import SystemHarness
import Testing

@testable import HeroClient

@Suite("hero-client's proxy passes the API's next-page link on, rewritten to its own /api path")
struct ProxiedLinkTests {
    @Test(
        "a rel=next link to the collection that was called becomes the proxy's; anything else is dropped",
        arguments: [
            (
                "http://127.0.0.1:8080/api/heroes/?limit=5", #"</api/heroes/?limit=5&cursor=AQAAAAAAAAAB>; rel="next""#,
                "?limit=5&cursor=AQAAAAAAAAAB"
            ),
            (
                "http://127.0.0.1:8080/api/heroes/", #"<http://127.0.0.1:8080/api/heroes/?cursor=AQAAAAAAAAAB>; rel=next"#,
                "?cursor=AQAAAAAAAAAB"
            ),
            (
                "https://web.example/base/api/heroes/", #"</base/api/heroes/?limit=2&cursor=AQAAAAAAAAAC>; rel="next""#,
                "?limit=2&cursor=AQAAAAAAAAAC"
            ),
            ("http://127.0.0.1:8080/api/heroes/", #"<?cursor=AQAAAAAAAAAB>; rel="next""#, "?cursor=AQAAAAAAAAAB"),
            ("http://127.0.0.1:8080/api/heroes/", #"<http://evil.example/api/heroes/?cursor=x>; rel="next""#, nil),
            ("http://127.0.0.1:8080/api/heroes/", #"<//evil.example/api/heroes/?cursor=x>; rel="next""#, nil),
            ("http://127.0.0.1:8080/api/heroes/", #"</api/other/?cursor=x>; rel="next""#, nil),
            ("http://127.0.0.1:8080/api/heroes/", #"</api/heroes/?cursor=x>; rel="prev""#, nil),
            ("http://127.0.0.1:8080/api/heroes/", #"<https://127.0.0.1:8080/api/heroes/?cursor=x>; rel="next""#, nil),
            ("http://127.0.0.1:8080/api/heroes/", "not a link", nil),
        ] as [(String, String, String?)]
    )
    func rewrite(upstream: String, link: String, query: String?) throws {
        let rewritten = ProxiedLink.rewrite(link, upstream: try #require(URL(string: upstream)))
        #expect(rewritten == query.map { "</api/heroes/\($0)>; rel=\"next\"" })
    }

    @Test("several links in one field: the next one is found")
    func several() {
        let value = #"<http://evil.example/>; rel="help", </api/heroes/?cursor=AQAAAAAAAAAB>; rel="last next""#
        #expect(
            ProxiedLink.rewrite(value, upstream: URL(string: "http://127.0.0.1:8080/api/heroes/")!)
                == #"</api/heroes/?cursor=AQAAAAAAAAAB>; rel="next""#
        )
    }

    @Test("through the proxy: the API's next link arrives as the proxy's, its other links do not")
    func throughTheProxy() async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let response = try await harness.browser.open(harness.clientBase + "/api/heroes/")
            #expect(response.status == 200)
            #expect(response.headerFields[HTTPField.Name("Link")!] == #"</api/heroes/?limit=1&cursor=AQAAAAAAAAAB>; rel="next""#)
        }
    }
}
