import AppConfiguration
import Configuration
import Foundation
import HTTPKitNIO
import LocalEntra
import Testing

@testable import HeroClient

/// hero-client's proxy: libcurl reads the variables itself; with `HVALFANGST_CA_FILE` the
/// SwiftNIO client reads them as curl does.
@Suite("hero-client's outbound proxy")
struct ProxyConfigurationTests {
    private func configuration(_ environment: [String: String]) throws -> ClientConfiguration {
        try ClientConfiguration(
            reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)),
            processEnvironment: environment
        )
    }

    @Test("with extra CAs, curl's variables choose the proxy; one SwiftNIO's client cannot use stops the client, naming it")
    func withExtraCAs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-proxy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tls = DevelopmentTLS(stateFolder: folder)
        _ = try tls.prepareAuthority()
        let ca = tls.authorityCertificate.path

        let proxied = try configuration(["HVALFANGST_CA_FILE": ca, "https_proxy": "http://proxy.corp:3128", "no_proxy": "localhost"])
        #expect(proxied.outboundProxy.https == OutboundProxy.Server(kind: .http, host: "proxy.corp", port: 3128))
        #expect(proxied.outboundProxy.noProxy.matches("localhost"))
        #expect {
            try configuration(["HVALFANGST_CA_FILE": ca, "HTTPS_PROXY": "https://user:secret@proxy.corp"])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.setting == "HTTPS_PROXY" && !"\(error)".contains("secret")
        }
    }

    @Test("without extra CAs the variables are libcurl's to read: none is parsed here, even one only libcurl takes")
    func withoutExtraCAs() throws {
        #expect(try configuration(["https_proxy": "https://proxy.corp:443"]).outboundProxy == .none)
    }
}
