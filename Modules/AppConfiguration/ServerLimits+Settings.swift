import HTTPServerKit

extension ServerLimits {
    /// Reads the limits from the settings every server shares (``ServerLimits/Setting``);
    /// `value` looks a setting up (an option, the environment, `.env`). Missing ones keep the
    /// defaults of ``ServerLimits/standard``.
    public init(reading value: (String) -> String?) throws(ConfigurationError) {
        let standard = ServerLimits.standard
        func seconds(_ setting: String, _ fallback: Duration) throws(ConfigurationError) -> Duration {
            guard let text = value(setting) else { return fallback }
            return .seconds(try SettingValue.count(text, setting: setting, range: 1...86_400))
        }
        var maxConnections = standard.maxConnections
        if let text = value(Setting.maxConnections) {
            maxConnections = try SettingValue.count(text, setting: Setting.maxConnections, range: 1...1_000_000)
        }
        self.init(
            idleTimeout: try seconds(Setting.idleTimeout, standard.idleTimeout),
            requestHeadTimeout: try seconds(Setting.requestHeadTimeout, standard.requestHeadTimeout),
            requestBodyTimeout: try seconds(Setting.requestBodyTimeout, standard.requestBodyTimeout),
            maxConnections: maxConnections
        )
    }

    /// One line for the start-up log.
    public var summary: String {
        "idle timeout \(idleTimeout.components.seconds) s, request head \(requestHeadTimeout.components.seconds) s, "
            + "body without progress \(requestBodyTimeout.components.seconds) s, at most \(maxConnections) connections"
    }
}
