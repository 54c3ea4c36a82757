import Synchronization
import Testing

@testable import HeroStorePostgres

@Suite("A store call's deadline")
struct DeadlineTests {
    /// A call that ignores cancellation, as a postgres-nio query on a connection closed under it.
    final class Stuck: Sendable {
        private let waiter = Mutex<CheckedContinuation<Void, Never>?>(nil)

        func wait() async {
            await withCheckedContinuation { continuation in waiter.withLock { $0 = continuation } }
        }

        func release() {
            waiter.withLock { $0 }?.resume()
        }
    }

    @Test("an operation that ignores cancellation still gets its answer at the deadline: TimedOut")
    func stuckOperation() async throws {
        let stuck = Stuck()
        let result = await Deadline<Int>.race(.milliseconds(200)) {
            await stuck.wait()
            return 1
        }
        #expect(throws: TimedOut.self) { try result.get() }
        stuck.release()
    }

    @Test("an operation that answers in time gives its value or its error")
    func answers() async throws {
        #expect(try await Deadline<Int>.race(.seconds(30)) { 42 }.get() == 42)
        struct Failure: Error {}
        let failed = await Deadline<Int>.race(.seconds(30)) { throw Failure() }
        #expect(throws: Failure.self) { try failed.get() }
    }
}
