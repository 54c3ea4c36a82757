import Foundation
import HeroStorePostgres
import Logging
import PostgresTestSupport
import Synchronization

/// Stores opened during one test, with their pools running; ``withStores(on:_:)`` stops them.
final class RunningStores: Sendable {
    private let tasks = Mutex<[Task<Void, any Error>]>([])

    /// Opens a store on `url` and runs its pool until the test ends.
    func open(
        _ url: String,
        operationTimeout: Duration = .seconds(10),
        connections: Int = 8
    ) async throws -> PostgresHeroRepository {
        var configuration = PostgresHeroRepository.Configuration(url: try PostgresURL(url))
        configuration.operationTimeout = operationTimeout
        configuration.connections = connections
        let repository = try await PostgresHeroRepository.open(configuration, logger: Logger(label: "test"))
        let task = Task { try await repository.run() }
        tasks.withLock { $0.append(task) }
        return repository
    }

    /// Cancels the pools; they close their connections in the background.
    fileprivate func stopAll() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}

/// Runs `test` with a place to open stores, then stops their pools, whatever happened.
func withStores<T>(_ test: (RunningStores) async throws -> T) async throws -> T {
    let stores = RunningStores()
    do {
        let result = try await test(stores)
        stores.stopAll()
        return result
    } catch {
        stores.stopAll()
        throw error
    }
}

/// A URL of a fresh, empty database on the shared test cluster.
func freshDatabaseURL() async throws -> String {
    let server = try await PostgresTestServer.shared()
    return server.url(database: try await server.createDatabase())
}
