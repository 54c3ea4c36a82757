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
        maximumConnections: Int = 8
    ) async throws -> PostgresHeroRepository {
        var configuration = PostgresHeroRepository.Configuration(url: try PostgresURL(url))
        configuration.operationTimeout = operationTimeout
        configuration.maximumConnections = maximumConnections
        let repository = try await PostgresHeroRepository.open(configuration, logger: Logger(label: "test"))
        let task = Task { try await repository.run() }
        tasks.withLock { $0.append(task) }
        return repository
    }

    fileprivate func stopAll() async {
        let running = tasks.withLock { $0 }
        for task in running {
            task.cancel()
            _ = await task.result
        }
    }
}

/// Runs `test` with a place to open stores, then stops their pools, whatever happened.
func withStores<T>(_ test: (RunningStores) async throws -> T) async throws -> T {
    let stores = RunningStores()
    do {
        let result = try await test(stores)
        await stores.stopAll()
        return result
    } catch {
        await stores.stopAll()
        throw error
    }
}

/// A URL of a fresh, empty database on the shared test cluster.
func freshDatabaseURL() async throws -> String {
    let server = try await PostgresTestServer.shared()
    return server.url(database: try await server.createDatabase())
}
