import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@Suite("URLSession HTTP client against a real server on loopback")
struct URLSessionHTTPClientTests {
    /// A server with one route per behaviour under test (``NIOHTTPClientTests`` use it too).
    static func server() -> some ApplicationProtocol {
        let router = Router()
        router.get("document") { _, _ in #"{"issuer":"here"}"# }
        router.get("large") { _, _ in String(repeating: "x", count: 200_000) }
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("redirect/same-host") { _, _ in Response(status: .found, headers: [.location: "/document"]) }
        router.post("redirect/see-other") { _, _ in Response(status: .seeOther, headers: [.location: "/document"]) }
        router.get("redirect/other-host") { request, _ in
            // 127.0.0.1 and localhost are the same machine but not the same host.
            let port = request.head.authority?.split(separator: ":").last ?? "80"
            return Response(status: .found, headers: [.location: "http://localhost:\(port)/document"])
        }
        router.post("echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1024)
            return Response(
                status: .ok,
                headers: [.contentType: request.headers[.contentType] ?? "none"],
                body: .init(byteBuffer: body)
            )
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func url(_ port: Int?, _ path: String) throws -> URL {
        let port = try #require(port)
        return try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    }

    @Test func getsADocument() async throws {
        try await Self.server().test(.live) { client in
            let response = try await URLSessionHTTPClient().send(HTTPClientRequest(url: try Self.url(client.port, "/document")))
            #expect(response.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"issuer":"here"}"#)
        }
    }

    @Test func postsAForm() async throws {
        try await Self.server().test(.live) { client in
            let request = HTTPClientRequest(
                method: .post,
                url: try Self.url(client.port, "/echo"),
                headerFields: [.contentType: "application/x-www-form-urlencoded"],
                body: Data(FormEncoding.encode([("a", "b c")]).utf8)
            )
            let response = try await URLSessionHTTPClient().send(request)
            #expect(String(decoding: response.body, as: UTF8.self) == "a=b+c")
            #expect(response.headerFields[.contentType] == "application/x-www-form-urlencoded")
        }
    }

    @Test("a body over the limit fails instead of being read whole")
    func responseTooLarge() async throws {
        try await Self.server().test(.live) { client in
            let http = URLSessionHTTPClient(maximumResponseSize: 64 * 1024)
            let target = try Self.url(client.port, "/large")
            await #expect(throws: HTTPClientError(.responseTooLarge, host: "127.0.0.1", reason: "the response is larger than 65536 bytes"))
            {
                try await http.send(HTTPClientRequest(url: target))
            }
        }
    }

    @Test func timesOut() async throws {
        try await Self.server().test(.live) { client in
            let http = URLSessionHTTPClient(timeout: .milliseconds(300))
            let target = try Self.url(client.port, "/slow")
            await #expect {
                try await http.send(HTTPClientRequest(url: target))
            } throws: { error in
                (error as? HTTPClientError)?.code == .timedOut
            }
        }
    }

    @Test func followsARedirectOnTheSameHost() async throws {
        try await Self.server().test(.live) { client in
            let response = try await URLSessionHTTPClient().send(HTTPClientRequest(url: try Self.url(client.port, "/redirect/same-host")))
            #expect(response.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"issuer":"here"}"#)
        }
    }

    @Test func refusesARedirectToAnotherHost() async throws {
        try await Self.server().test(.live) { client in
            let target = try Self.url(client.port, "/redirect/other-host")
            await #expect {
                try await URLSessionHTTPClient().send(HTTPClientRequest(url: target))
            } throws: { error in
                (error as? HTTPClientError)?.code == .redirectRefused
            }
        }
    }

    @Test func connectionRefused() async throws {
        // Bind a port, then close it, so nothing listens there.
        let port = try await Self.server().test(.live) { client in try #require(client.port) }
        let target = try Self.url(port, "/document")
        await #expect {
            try await URLSessionHTTPClient().send(HTTPClientRequest(url: target))
        } throws: { error in
            (error as? HTTPClientError)?.code == .connectionFailed
        }
    }
}
