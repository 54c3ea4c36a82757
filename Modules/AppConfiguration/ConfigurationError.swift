/// A setting that cannot work. The apps stop before serving anything, print this and exit with
/// status 2; the message names the setting (an environment variable or a flag) and what is
/// wrong with it, never a secret's value.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The setting, as the user spells it: `PORT`, `HVALFANGST_TENANT_ID`, `--port`.
    public let setting: String
    /// What is wrong, as the end of a sentence: "must be a GUID, not 'x'".
    public let problem: String

    /// Creates an error for `setting`.
    public init(_ setting: String, _ problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "\(setting) \(problem)" }

    /// The exit status of an app stopped by a configuration error (as `EX_USAGE`-style tools do).
    public static let exitStatus: Int32 = 2
}
