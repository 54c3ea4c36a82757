/// Why a device-code sign-in ended without tokens. Descriptions are safe to show: they hold
/// the provider's error text, never a code or a token.
public struct DeviceCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What ended the sign-in.
    public enum Code: Hashable, Sendable {
        /// The device code expired: its `expires_in` passed, or the provider said `expired_token`.
        case expired
        /// The user declined (`access_denied`).
        case denied
        /// The token endpoint failed otherwise (an OAuth error, unreachable, unusable answer).
        case failed
        /// The wait between polls was cancelled.
        case cancelled
    }

    /// What ended the sign-in.
    public let code: Code
    /// The token endpoint's error, when it was the provider that ended it.
    public let providerError: TokenEndpointError?

    /// Creates an error.
    public init(_ code: Code, providerError: TokenEndpointError? = nil) {
        self.code = code
        self.providerError = providerError
    }

    /// The provider's description when there is one, else what happened.
    public var description: String {
        if let providerError { return providerError.description }
        switch code {
        case .expired: return "The code expired before the sign-in finished."
        case .denied: return "The sign-in was declined."
        case .failed: return "The sign-in failed."
        case .cancelled: return "The sign-in was cancelled."
        }
    }
}
