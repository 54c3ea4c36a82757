/// What a binary is: the version of this source tree and, when the build recorded it, the
/// commit. `--version` prints it and hero-server logs it at start.
public enum BuildInfo {
    /// The version of the apps, raised with each release.
    public static let version = "0.12.0"

    /// The commit the binary was built from: `HVALFANGST_COMMIT` from the environment, which the
    /// container image sets from its build argument; nil for a local build.
    public static func commit(environment: [String: String]) -> String? {
        environment["HVALFANGST_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `0.12.0 (commit 1a2b3c4)`, or just the version.
    public static func description(environment: [String: String]) -> String {
        commit(environment: environment).map { "\(version) (commit \($0))" } ?? version
    }
}
