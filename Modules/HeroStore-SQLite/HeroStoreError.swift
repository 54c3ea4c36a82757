/// Why a hero database could not be opened. The description names the file, so an operator
/// sees at once which path to fix; the file itself is never modified on the way.
public struct HeroStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers and tests that branch on it.
    public enum Code: Hashable, Sendable {
        /// The folder that should hold the file could not be created.
        case cannotCreateFolder
        /// A file exists at the path but is not an SQLite database.
        case notADatabase
        /// SQLite refused to open the file or the path is not a regular file.
        case cannotOpen
        /// The schema could not be brought up to date.
        case migrationFailed
    }

    /// What failed.
    public let code: Code
    /// The database path as given.
    public let path: String
    /// Details from the file system or SQLite.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "Cannot open the hero database at '\(path)': \(reason)"
    }
}
