import Foundation
import HTTPKit
import HTTPTypes
import OIDCClient
import OIDCCore
import Synchronization
import TestSupport
import Testing

/// A provider with a device authorization endpoint, its token endpoint scripted.
private let metadata = ProviderMetadata(
    issuer: "https://login.example/tenant/v2.0",
    authorizationEndpoint: URL(string: "https://login.example/tenant/oauth2/v2.0/authorize")!,
    tokenEndpoint: URL(string: "https://login.example/tenant/oauth2/v2.0/token")!,
    jwksURI: URL(string: "https://login.example/tenant/discovery/v2.0/keys")!,
    deviceAuthorizationEndpoint: URL(string: "https://login.example/tenant/oauth2/v2.0/devicecode")!
)

private let tokens = #"{"access_token":"at","token_type":"Bearer","expires_in":3600,"id_token":"idt","refresh_token":"rt"}"#

private func oauthError(_ code: String) -> ScriptedHTTPClient.Answer {
    .json(.badRequest, #"{"error":"\#(code)","error_description":"AADSTS70016: \#(code) here\nTrace ID: x","error_codes":[70016]}"#)
}

/// A device flow over `answers` whose sleeps advance a manual clock and are recorded.
private struct Harness {
    let http: ScriptedHTTPClient
    let clock = ManualClock()
    let sleeps: SleepRecorder
    let flow: DeviceCodeFlow

    init(_ answers: [ScriptedHTTPClient.Answer]) {
        let http = ScriptedHTTPClient(answers)
        self.http = http
        let clock = clock
        let sleeps = SleepRecorder(clock: clock)
        self.sleeps = sleeps
        flow = DeviceCodeFlow(
            tokenEndpoint: TokenEndpoint(
                metadata: metadata,
                credentials: ClientCredentials(clientID: "client-1", clientSecret: "secret-1"),
                httpClient: http
            ),
            scopes: ["openid", "offline_access"],
            sleep: { sleeps.sleep($0) },
            now: { clock.date }
        )
    }

    var recordedSleeps: [Duration] { sleeps.recorded }

    static func authorization(expiresIn: Int = 900, interval: Int? = 5) -> DeviceAuthorization {
        let interval = interval.map { #","interval":\#($0)"# } ?? ""
        let json =
            #"{"device_code":"dc-1","user_code":"ABCD","verification_uri":"https://x/devicelogin","expires_in":\#(expiresIn)\#(interval)}"#
        return try! JSONDecoder().decode(DeviceAuthorization.self, from: Data(json.utf8))
    }
}

@Suite("DeviceCodeFlow: RFC 8628 start and polling")
struct DeviceCodeFlowTests {
    @Test("start POSTs the scopes and the client id to the device authorization endpoint, without the secret")
    func start() async throws {
        let harness = Harness([
            .json(
                .ok,
                #"{"device_code":"dc-1","user_code":"ABCD","verification_uri":"https://x/devicelogin","expires_in":900,"interval":5,"message":"Go"}"#
            )
        ])
        let authorization = try await harness.flow.start()
        #expect(authorization.userCode == "ABCD" && authorization.interval == 5 && authorization.message == "Go")
        let request = try #require(harness.http.requests.first)
        #expect(request.method == .post && request.url == metadata.deviceAuthorizationEndpoint)
        #expect(request.formParameters == ["scope": "openid offline_access", "client_id": "client-1"])
    }

    @Test("start fails with the provider's error")
    func startFails() async throws {
        let harness = Harness([oauthError("invalid_client")])
        await #expect(throws: TokenEndpointError.self) { try await harness.flow.start() }
    }

    @Test("pending polls wait the interval each time, then the tokens come back")
    func pendingThenTokens() async throws {
        let harness = Harness([oauthError("authorization_pending"), oauthError("authorization_pending"), .json(.ok, tokens)])
        let response = try await harness.flow.poll(Harness.authorization(interval: 3))
        #expect(response.accessToken == "at" && response.idToken == "idt")
        #expect(harness.recordedSleeps == [.seconds(3), .seconds(3), .seconds(3)], "a wait before every poll")
        #expect(harness.http.requests.count == 3)
        let poll = try #require(harness.http.requests.first)
        #expect(poll.url == metadata.tokenEndpoint)
        #expect(poll.formParameters["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code")
        #expect(poll.formParameters["device_code"] == "dc-1")
    }

    @Test("without an interval the flow waits 5 seconds (RFC 8628 §3.2)")
    func defaultInterval() async throws {
        let harness = Harness([.json(.ok, tokens)])
        _ = try await harness.flow.poll(Harness.authorization(interval: nil))
        #expect(harness.recordedSleeps == [.seconds(5)])
    }

    @Test("slow_down adds 5 seconds to this and every later interval (RFC 8628 §3.5)")
    func slowDown() async throws {
        let harness = Harness([
            oauthError("slow_down"), oauthError("authorization_pending"), oauthError("slow_down"), .json(.ok, tokens),
        ])
        _ = try await harness.flow.poll(Harness.authorization(interval: 2))
        #expect(harness.recordedSleeps == [.seconds(2), .seconds(7), .seconds(7), .seconds(12)])
    }

    @Test("the code's expires_in ends the polling with .expired and no further request")
    func deadline() async throws {
        let harness = Harness(Array(repeating: oauthError("authorization_pending"), count: 10))
        let error = await #expect(throws: DeviceCodeError.self) {
            try await harness.flow.poll(Harness.authorization(expiresIn: 10, interval: 5))
        }
        #expect(error?.code == .expired && error?.providerError == nil)
        #expect(error?.description == "The code expired before the sign-in finished.")
        #expect(harness.http.requests.count == 2, "polls at 5 s and 10 s, then the deadline has passed")
    }

    @Test(
        "the provider's terminal errors end the polling at once, with its error",
        arguments: [
            ("expired_token", DeviceCodeError.Code.expired), ("access_denied", .denied), ("invalid_grant", .failed),
            ("invalid_client", .failed),
        ]
    )
    func terminal(providerCode: String, expected: DeviceCodeError.Code) async throws {
        let harness = Harness([oauthError("authorization_pending"), oauthError(providerCode), .json(.ok, tokens)])
        let error = await #expect(throws: DeviceCodeError.self) { try await harness.flow.poll(Harness.authorization()) }
        #expect(error?.code == expected)
        #expect(error?.providerError?.error == providerCode)
        #expect(error?.description == "AADSTS70016: \(providerCode) here", "the provider's first line, no trace id")
        #expect(harness.http.requests.count == 2)
        #expect(harness.http.unusedAnswers == 1)
    }

    @Test("an unreachable token endpoint fails the flow")
    func unreachable() async throws {
        let harness = Harness([.unreachable])
        let error = await #expect(throws: DeviceCodeError.self) { try await harness.flow.poll(Harness.authorization()) }
        #expect(error?.code == .failed && error?.providerError?.error == "unreachable")
    }

    @Test("a cancelled wait ends the flow with .cancelled and no poll")
    func cancelled() async throws {
        let http = ScriptedHTTPClient([.json(.ok, tokens)])
        let flow = DeviceCodeFlow(
            tokenEndpoint: TokenEndpoint(
                metadata: metadata,
                credentials: ClientCredentials(clientID: "c", clientSecret: nil),
                httpClient: http
            ),
            scopes: ["openid"],
            sleep: { _ in throw CancellationError() }
        )
        let error = await #expect(throws: DeviceCodeError.self) { try await flow.poll(Harness.authorization()) }
        #expect(error?.code == .cancelled)
        #expect(http.requests.isEmpty)
    }
}
