import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOSSL
import TestSupport
import Testing

/// The SwiftNIO client keeps URLSessionHTTPClient's contract (same server, same checks), and
/// reads its extra CAs strictly. Its HTTPS against local-entra's CA is tested with real
/// processes (LocalEntraTests, EndToEndTests).
@Suite("SwiftNIO HTTP client (async-http-client) against a real server on loopback")
struct NIOHTTPClientTests {
    private typealias Server = URLSessionHTTPClientTests

    @Test func getsADocumentAndPostsAForm() async throws {
        try await Server.server().test(.live) { client in
            let http = NIOHTTPClient()
            let response = try await http.send(HTTPClientRequest(url: try Server.url(client.port, "/document")))
            #expect(response.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"issuer":"here"}"#)
            let echoed = try await http.send(
                HTTPClientRequest(
                    method: .post,
                    url: try Server.url(client.port, "/echo"),
                    headerFields: [.contentType: "application/x-www-form-urlencoded"],
                    body: Data(FormEncoding.encode([("a", "b c")]).utf8)
                )
            )
            #expect(String(decoding: echoed.body, as: UTF8.self) == "a=b+c")
            #expect(echoed.headerFields[.contentType] == "application/x-www-form-urlencoded")
        }
    }

    @Test("a body over the limit fails instead of being read whole")
    func responseTooLarge() async throws {
        try await Server.server().test(.live) { client in
            let target = try Server.url(client.port, "/large")
            await #expect(throws: HTTPClientError(.responseTooLarge, host: "127.0.0.1", reason: "the response is larger than 65536 bytes"))
            {
                try await NIOHTTPClient(maximumResponseSize: 64 * 1024).send(HTTPClientRequest(url: target))
            }
        }
    }

    @Test func timesOut() async throws {
        try await Server.server().test(.live) { client in
            let target = try Server.url(client.port, "/slow")
            await #expect {
                try await NIOHTTPClient(timeout: .milliseconds(300)).send(HTTPClientRequest(url: target))
            } throws: { error in
                (error as? HTTPClientError)?.code == .timedOut
            }
        }
    }

    @Test("redirects: followed on the same host (a 303 after a POST as a GET), refused to another, or all returned")
    func redirects() async throws {
        try await Server.server().test(.live) { client in
            let same = try await NIOHTTPClient().send(HTTPClientRequest(url: try Server.url(client.port, "/redirect/same-host")))
            #expect(same.status == .ok)
            #expect(String(decoding: same.body, as: UTF8.self) == #"{"issuer":"here"}"#)

            let seeOther = try await NIOHTTPClient().send(
                HTTPClientRequest(method: .post, url: try Server.url(client.port, "/redirect/see-other"), body: Data("x=1".utf8))
            )
            #expect(seeOther.status == .ok)

            let other = try Server.url(client.port, "/redirect/other-host")
            await #expect {
                try await NIOHTTPClient().send(HTTPClientRequest(url: other))
            } throws: { error in
                (error as? HTTPClientError)?.code == .redirectRefused
            }

            let returned = try await NIOHTTPClient(followsRedirects: false).send(HTTPClientRequest(url: other))
            #expect(returned.status == .found)
            #expect(returned.headerFields[.location]?.hasPrefix("http://localhost:") == true)
        }
    }

    @Test func connectionRefused() async throws {
        let port = try await Server.server().test(.live) { client in try #require(client.port) }
        let target = try Server.url(port, "/document")
        await #expect {
            try await NIOHTTPClient().send(HTTPClientRequest(url: target))
        } throws: { error in
            (error as? HTTPClientError)?.code == .connectionFailed
        }
    }

    @Test("through the proxy for its scheme: a tunnel by CONNECT to the host; a host no_proxy names is reached directly")
    func throughAProxy() async throws {
        let proxy = try await ForwardProxy.start()
        try await Server.server().test(.live) { client in
            let port = try #require(client.port)
            let environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)"]
            let proxied = NIOHTTPClient(proxy: try OutboundProxy(environment: environment))
            let response = try await proxied.send(HTTPClientRequest(url: try Server.url(port, "/document")))
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"issuer":"here"}"#)
            #expect(proxy.targets == ["127.0.0.1:\(port)"])

            // The https proxy is not the http one; no_proxy names the host.
            for environment in [
                ["https_proxy": "http://127.0.0.1:\(proxy.port)"], environment.merging(["NO_PROXY": "127.0.0.1"]) { a, _ in a },
            ] {
                let direct = NIOHTTPClient(proxy: try OutboundProxy(environment: environment))
                #expect(try await direct.send(HTTPClientRequest(url: try Server.url(port, "/document"))).status == .ok)
            }
            #expect(proxy.targets.count == 1, "the direct requests did not reach the proxy")
        }
        try await proxy.stop()
    }

    @Test("a proxy that asks for credentials gets those of the proxy URL; without them the request fails")
    func proxyCredentials() async throws {
        let proxy = try await ForwardProxy.start(credentials: "me@corp:p:ss")
        try await Server.server().test(.live) { client in
            let target = try Server.url(client.port, "/document")
            let with = NIOHTTPClient(
                proxy: try OutboundProxy(environment: ["http_proxy": "http://me%40corp:p%3Ass@127.0.0.1:\(proxy.port)"])
            )
            #expect(try await with.send(HTTPClientRequest(url: target)).status == .ok)

            #expect(proxy.targets == ["127.0.0.1:\(try #require(client.port))"])

            let without = NIOHTTPClient(proxy: try OutboundProxy(environment: ["http_proxy": "http://127.0.0.1:\(proxy.port)"]))
            await #expect(throws: HTTPClientError(.connectionFailed, host: "127.0.0.1", reason: "the proxy asks for credentials (407)")) {
                try await without.send(HTTPClientRequest(url: target))
            }
            #expect(proxy.targets == Array(repeating: "127.0.0.1:\(try #require(client.port))", count: 2), "asked once, not again")
        }
        try await proxy.stop()
    }

    @Test("a proxy that cannot reach the host, or is not there, fails the request as a connection failure")
    func proxyFailures() async throws {
        let proxy = try await ForwardProxy.start()
        let closed = try await Server.server().test(.live) { client in try #require(client.port) }
        let environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)"]
        let unreachable = NIOHTTPClient(proxy: try OutboundProxy(environment: environment))
        await #expect {
            try await unreachable.send(HTTPClientRequest(url: try Server.url(closed, "/document")))
        } throws: { error in
            (error as? HTTPClientError)?.code == .connectionFailed
        }
        #expect(proxy.targets == ["127.0.0.1:\(closed)"])
        try await proxy.stop()

        let absent = NIOHTTPClient(proxy: try OutboundProxy(environment: environment))
        await #expect {
            try await absent.send(HTTPClientRequest(url: try Server.url(closed, "/document")))
        } throws: { error in
            (error as? HTTPClientError)?.code == .connectionFailed
        }
    }

    @Test("a CA file that is missing, not PEM or empty is refused, naming the file")
    func badCAFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.pem")
        try Data("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".utf8).write(to: garbage)
        let empty = folder.appendingPathComponent("empty.pem")
        try Data().write(to: empty)
        for (file, problem) in [
            (folder.appendingPathComponent("missing.pem"), "cannot be read"), (garbage, "is not a PEM file"), (empty, "PEM"),
        ] {
            #expect {
                try ExtraTrustRoots(pemFile: file.path)
            } throws: { error in
                guard let error = error as? ExtraTrustRootsError else { return false }
                return error.path == file.path && error.description.contains(problem)
            }
        }
    }

    @Test("extra CAs are added to the system's roots, never put in their place")
    func extraNotReplacement() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ca.pem")
        try Data(Self.certificate.utf8).write(to: file)
        let roots = try ExtraTrustRoots(pemFile: file.path)
        #expect(roots.certificates.count == 1)
        let configuration = roots.tlsConfiguration
        #expect(configuration.trustRoots == nil || configuration.trustRoots == .default, "the system's roots stay")
        #expect(configuration.additionalTrustRoots == [.certificates(roots.certificates)])
        #expect(configuration.certificateVerification == .fullVerification)
    }

    /// A self-signed P-256 certificate (CN=test), only parsed here.
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBcjCCARmgAwIBAgIUFBrHa6O+LMBxpBSCwq5vELbPNHYwCgYIKoZIzj0EAwIw
        DzENMAsGA1UEAwwEdGVzdDAeFw0yNjEyMDMyMDIwMzdaFw0zNjExMzAyMDIwMzda
        MA8xDTALBgNVBAMMBHRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ6YceI
        s7N7T1+6IVQBpGAkO4srIW0Enunk7H2V6DbtWs2BVagTSNSpVwUwZnWc7u9lR61y
        NSXqdSxpmpOkAXDAo1MwUTAdBgNVHQ4EFgQU8iOih2osVTHo7iyuVvu0V/Xrn+ow
        HwYDVR0jBBgwFoAU8iOih2osVTHo7iyuVvu0V/Xrn+owDwYDVR0TAQH/BAUwAwEB
        /zAKBggqhkjOPQQDAgNHADBEAiB/8L4GZ0J2oMDnhWprB14f27ZkynvKTC71OGVZ
        GgMHGgIgO/RuWwLeqfV4iRn9GmPzsGJM5HLvoEYHOkcoH9DI0Sk=
        -----END CERTIFICATE-----
        """
}
