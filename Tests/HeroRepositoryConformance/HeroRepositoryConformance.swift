import HeroDomain
import Testing

/// The behaviour every ``HeroRepository`` shares, as checks a test target runs against its own
/// implementation: `@Test(arguments: HeroRepositoryConformance.checks)`.
///
/// A check calls the factory for a fresh, empty repository and records failures in the
/// running test with `#expect` and `#require`. What a check cannot see through the protocol
/// (files, timestamps, closing) is tested beside each implementation.
public enum HeroRepositoryConformance {
    /// Makes a fresh, empty repository; called once per check.
    public typealias Factory = @Sendable () async throws -> any HeroRepository

    /// One named check of the suite.
    public struct Check: Sendable, CustomTestStringConvertible {
        /// What the check asserts, shown as the test case's name.
        public let name: String
        /// Runs the check against a repository from `factory`.
        public let run: @Sendable (_ factory: Factory) async throws -> Void

        /// The name, for the test report.
        public var testDescription: String { name }
    }

    /// Every check, in the order of the protocol's methods.
    public static let checks: [Check] = [
        Check(name: "create assigns a random v4 id, and get returns the same hero", run: createAndGet),
        Check(name: "two creates get different ids", run: distinctIDs),
        Check(name: "an invalid hero is refused with every error and nothing is stored", run: invalidCreate),
        Check(name: "get of an unknown id is not found", run: getMissing),
        Check(name: "replace changes every field but the id", run: replace),
        Check(name: "replace of a missing id is not found and stores nothing", run: replaceMissing),
        Check(name: "an invalid replace changes nothing", run: invalidReplace),
        Check(name: "replace validates before it looks the id up", run: invalidReplaceOfMissing),
        Check(name: "delete removes the hero; deleting it again is not found", run: deleteTwice),
        Check(name: "list is in creation order, paginated, and replace does not reorder", run: listOrderAndPagination),
        Check(name: "list past the end is empty, even at the largest offset", run: listPastTheEnd),
        Check(name: "a hero with every field and Unicode text is stored exactly", run: fullFidelity),
        Check(
            name: "8 tasks creating 200 heroes each: 1600 distinct ids, listed in creation order, 1000 at most per page",
            run: concurrentCreates
        ),
        Check(name: "concurrent replaces and deletes of different heroes all take effect", run: concurrentChanges),
        Check(name: "the next cursor is given exactly when more heroes follow, also after an offset", run: nextOnlyWhenMoreFollow),
        Check(
            name: "paging by cursor while heroes are created and deleted: each hero present throughout is seen once, in order",
            run: cursorWhileChanging
        ),
        Check(name: "a cursor whose hero was deleted continues after it; one past the end is an empty page", run: cursorOfDeletedHero),
    ]
}
