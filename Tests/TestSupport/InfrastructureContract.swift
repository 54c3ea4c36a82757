import Foundation

/// `infra/contract.json`: the names the Azure deployment and the Swift code must agree on.
///
/// Both sides are checked against this one file: `infra/tests/test_contract.py` parses the
/// Terraform (run by `scripts/lint-infra.sh`), and the Swift tests that load this check the
/// code, so renaming a scope, a redirect URI or a setting on one side alone fails a test.
public struct InfrastructureContract: Decodable, Sendable {
    /// The Heroes API's delegated scopes.
    public let scopes: [String]
    /// The Heroes API's app roles, for applications.
    public let appRoles: [String]
    /// hero-client's redirect URI.
    public let redirectURI: String
    /// The settings the web app gives hero-server.
    public let serverSettings: [String]
    /// The settings it gives hero-server in addition when the heroes live in PostgreSQL.
    public let postgresServerSettings: [String]
    /// The settings `infra/write-env-oauth.sh` gives hero-client.
    public let clientSettings: [String]

    /// Reads the file from this checkout (found from this source file's path).
    public static func load() throws -> InfrastructureContract {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let file = repository.appendingPathComponent("infra/contract.json")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: file))
    }
}
