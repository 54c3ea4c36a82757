import Foundation
import HTTPKit

/// The device authorization grant (RFC 8628) for a client without a browser on its machine:
/// ``start()`` asks for a device and a user code, ``poll(_:)`` waits for the user to finish.
///
/// The waits go through an injected ``Sleep`` and the deadline through an injected clock, so
/// tests run the whole loop without waiting.
public struct DeviceCodeFlow: Sendable {
    /// The interval RFC 8628 §3.5 prescribes when the provider names none.
    public static let defaultInterval = 5
    /// What RFC 8628 §3.5 adds to the interval on each `slow_down`.
    public static let slowDownIncrease = 5

    /// The provider's token and device authorization endpoints, for this client.
    public let tokenEndpoint: TokenEndpoint
    /// The scopes asked for.
    public let scopes: [String]
    private let sleep: Sleep
    private let now: @Sendable () -> Date

    /// Creates the flow; `sleep` and `now` are the waits and the clock of the polling loop.
    public init(
        tokenEndpoint: TokenEndpoint,
        scopes: [String],
        sleep: @escaping Sleep = Sleeping.task,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tokenEndpoint = tokenEndpoint
        self.scopes = scopes
        self.sleep = sleep
        self.now = now
    }

    /// POSTs the device authorization endpoint (RFC 8628 §3.1) and returns the codes and the
    /// message to show the user.
    public func start() async throws(TokenEndpointError) -> DeviceAuthorization {
        try await tokenEndpoint.startDeviceAuthorization(scopes: scopes)
    }

    /// Polls the token endpoint until the user has signed in (RFC 8628 §3.4, §3.5): waits
    /// `interval` seconds (5 when not given) before each poll, polls again on
    /// `authorization_pending`, adds 5 seconds to the interval on `slow_down`, and gives up
    /// once the device code's `expires_in` has passed.
    ///
    /// Throws ``DeviceCodeError``: `.expired` for the deadline or `expired_token`,
    /// `.denied` for `access_denied`, `.failed` for any other error of the token endpoint,
    /// `.cancelled` when the wait is cancelled.
    public func poll(_ authorization: DeviceAuthorization) async throws(DeviceCodeError) -> TokenResponse {
        var interval = authorization.interval ?? Self.defaultInterval
        let deadline = now().addingTimeInterval(TimeInterval(authorization.expiresIn))
        while now() < deadline {
            do {
                try await sleep(.seconds(interval))
            } catch {
                throw DeviceCodeError(.cancelled)
            }
            do {
                return try await tokenEndpoint.pollDeviceCode(authorization.deviceCode)
            } catch {
                switch error.error {
                case "authorization_pending":
                    continue
                case "slow_down":
                    interval += Self.slowDownIncrease  // RFC 8628 §3.5: for this and every later poll.
                case "expired_token":
                    throw DeviceCodeError(.expired, providerError: error)
                case "access_denied":
                    throw DeviceCodeError(.denied, providerError: error)
                default:
                    throw DeviceCodeError(.failed, providerError: error)
                }
            }
        }
        throw DeviceCodeError(.expired)
    }
}
