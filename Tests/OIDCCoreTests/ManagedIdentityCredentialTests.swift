import Foundation
import HTTPKit
import HTTPTypes
import OIDCCore
import TestSupport
import Testing

@Suite("Managed-identity credential (App Service)")
struct ManagedIdentityCredentialTests {
    static let endpoint = URL(string: "http://127.0.0.1:41741/msi/token")!
    static let resource = "https://ossrdbms-aad.database.windows.net"
    let clock = ManualClock()

    private func credential(_ http: ScriptedHTTPClient, clientID: String? = "mi-client") throws -> ManagedIdentityCredential {
        ManagedIdentityCredential(
            configuration: try .init(endpoint: Self.endpoint, secret: "s3cret", clientID: clientID),
            httpClient: http,
            now: { clock.date }
        )
    }

    private func answer(token: String, expiresIn: TimeInterval) -> ScriptedHTTPClient.Answer {
        let expiresOn = Int(clock.date.timeIntervalSince1970 + expiresIn)
        return .json(
            .ok,
            #"{"access_token":"\#(token)","expires_on":"\#(expiresOn)","resource":"\#(Self.resource)","token_type":"Bearer"}"#
        )
    }

    @Test("asks App Service's way: GET, api-version 2019-08-01, the resource, client_id, the secret in X-IDENTITY-HEADER")
    func request() async throws {
        let http = ScriptedHTTPClient([answer(token: "t1", expiresIn: 3600)])
        let token = try await credential(http).token(for: Self.resource)
        #expect(token.accessToken == "t1")
        #expect(token.expiresOn == Date(timeIntervalSince1970: Double(Int(clock.date.timeIntervalSince1970 + 3600))))
        let sent = try #require(http.requests.first)
        #expect(sent.method == .get)
        let query = Dictionary(
            uniqueKeysWithValues: (URLComponents(url: sent.url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map {
                ($0.name, $0.value ?? "")
            }
        )
        #expect(query == ["api-version": "2019-08-01", "resource": Self.resource, "client_id": "mi-client"])
        #expect(sent.headerFields[.init("X-IDENTITY-HEADER")!] == "s3cret")
    }

    @Test("the system-assigned identity sends no client_id")
    func systemAssigned() async throws {
        let http = ScriptedHTTPClient([answer(token: "t1", expiresIn: 3600)])
        _ = try await credential(http, clientID: nil).token(for: Self.resource)
        #expect(http.requests.first?.url.query?.contains("client_id") == false)
    }

    @Test("cached while more than five minutes are left, then renewed")
    func renewal() async throws {
        let http = ScriptedHTTPClient([answer(token: "t1", expiresIn: 3600), answer(token: "t2", expiresIn: 3600)])
        let credential = try credential(http)
        #expect(try await credential.token(for: Self.resource).accessToken == "t1")
        clock.advance(by: .seconds(3600 - 301))
        #expect(try await credential.token(for: Self.resource).accessToken == "t1")
        #expect(http.requests.count == 1)
        clock.advance(by: .seconds(2))
        #expect(try await credential.token(for: Self.resource).accessToken == "t2")
        #expect(http.requests.count == 2)
    }

    @Test("concurrent callers share one request")
    func singleFlight() async throws {
        let http = ScriptedHTTPClient([answer(token: "t1", expiresIn: 3600)])
        let credential = try credential(http)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await credential.token(for: Self.resource).accessToken } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens == ["t1"])
        #expect(http.requests.count == 1)
    }

    @Test(
        "failures are typed and never hold the secret or a token",
        arguments: [
            (ScriptedHTTPClient.Answer.unreachable, ManagedIdentityError.Code.unreachable),
            (.json(.unauthorized, #"{"statusCode":401,"message":"The X-IDENTITY-HEADER header is not this endpoint's."}"#), .refused),
            (.json(.badRequest, #"{"statusCode":400,"message":"No managed identity found"}"#), .refused),
            (.json(.ok, #"{"access_token":"t1","expires_in":3600}"#), .invalidAnswer),
            (.json(.ok, #"{"access_token":"t1","expires_on":"1000"}"#), .invalidAnswer),
        ]
    )
    func failures(answer: ScriptedHTTPClient.Answer, code: ManagedIdentityError.Code) async throws {
        let credential = try credential(ScriptedHTTPClient([answer]))
        await #expect {
            try await credential.token(for: Self.resource)
        } throws: { error in
            guard let error = error as? ManagedIdentityError else { return false }
            return error.code == code && !error.description.contains("s3cret") && !error.description.contains("\"t1\"")
        }
    }

    @Test("a plain-http endpoint off loopback is refused: the secret would travel in the clear")
    func endpointMustBeLocal() {
        #expect(throws: OIDCError.self) {
            try ManagedIdentityCredential.Configuration(
                endpoint: URL(string: "http://169.254.169.254/msi/token")!,
                secret: "s",
                clientID: nil
            )
        }
    }
}
