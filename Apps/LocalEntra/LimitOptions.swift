import AppConfiguration
import ArgumentParser
import Foundation
import HTTPServerKit

/// `serve`'s connection limits, as options; each falls back to the environment variable the
/// other servers read (``ServerLimits/Setting``), then to the default.
struct LimitOptions: ParsableArguments {
    @Option(help: "Seconds an idle keep-alive connection is kept (also HVALFANGST_IDLE_TIMEOUT_SECONDS; default 75).")
    var idleTimeout: String?

    @Option(help: "Seconds to receive a request's head (also HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS; default 60).")
    var requestHeadTimeout: String?

    @Option(help: "Seconds a request body may make no progress (also HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS; default 60).")
    var requestBodyTimeout: String?

    @Option(help: "The most connections at once (also HVALFANGST_MAX_CONNECTIONS; default 512).")
    var maxConnections: String?

    /// The limits, or a validation error naming the option or variable that is wrong.
    func limits() throws -> ServerLimits {
        let options = [
            ServerLimits.Setting.idleTimeout: ("--idle-timeout", idleTimeout),
            ServerLimits.Setting.requestHeadTimeout: ("--request-head-timeout", requestHeadTimeout),
            ServerLimits.Setting.requestBodyTimeout: ("--request-body-timeout", requestBodyTimeout),
            ServerLimits.Setting.maxConnections: ("--max-connections", maxConnections),
        ]
        let environment = ProcessInfo.processInfo.environment
        do throws(ConfigurationError) {
            return try ServerLimits { options[$0]?.1 ?? environment[$0] }
        } catch {
            // Named as the user gave it: the flag when the option was used.
            let given = options[error.setting].flatMap { $0.1 == nil ? nil : $0.0 } ?? error.setting
            throw ValidationError(ConfigurationError(given, error.problem).description)
        }
    }
}
