import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The connection pool behind the store, rebuilt with a fresh password before the one it signs
/// in with expires.
///
/// postgres-nio 1.33's `PostgresClient` takes one password for every connection it will ever
/// open. With an Entra token as the password (it lasts hours), a pool that outlived its token
/// could not replace a lost connection. So, ``PostgresHeroRepository/Configuration/renewalMargin``
/// before the token expires, ``run()`` asks the provider for a fresh one, starts a new pool with
/// it and makes it ``current``; calls that leased from the old pool end within the store's
/// operation timeout, after which the old pool closes. A password that does not expire (one in
/// the URL, `PGPASSWORD`) keeps one pool for the whole run.
final class RenewingPool: Sendable {
    private let pool: Mutex<PostgresClient>
    private let firstPassword: DatabasePassword?
    private let configuration: PostgresHeroRepository.Configuration
    private let logger: Logger

    /// A pool signing in with `password` (from ``PostgresHeroRepository/Configuration/resolvePassword()``).
    init(configuration: PostgresHeroRepository.Configuration, password: DatabasePassword?, logger: Logger) {
        self.pool = Mutex(
            PostgresClient(configuration: configuration.clientConfiguration(password: password?.value), backgroundLogger: logger)
        )
        self.firstPassword = password
        self.configuration = configuration
        self.logger = logger
    }

    /// The pool new calls lease from: a lock held for one load, no hop to another executor.
    var current: PostgresClient { pool.withLock { $0 } }

    /// Runs the current pool, and its successors, until cancelled or a graceful shutdown.
    func run() async {
        await cancelWhenGracefulShutdown { await self.runRenewing() }
    }

    /// Runs the first pool and, before each expiring password runs out, a successor.
    private func runRenewing() async {
        await withDiscardingTaskGroup { group in
            var retireCurrent = Self.start(current, in: &group)
            var expiresAt = firstPassword?.expiresAt
            while let expiry = expiresAt, !Task.isCancelled {
                guard await Self.sleep(until: expiry.addingTimeInterval(-configuration.renewalMargin.timeInterval)),
                    let next = await freshPassword(laterThan: expiry)
                else { break }
                let successor = PostgresClient(
                    configuration: configuration.clientConfiguration(password: next.value),
                    backgroundLogger: logger
                )
                let retireSuccessor = Self.start(successor, in: &group)
                pool.withLock { $0 = successor }
                logger.info("PostgreSQL connections now sign in with \(next)")
                // A call that leased from the old pool ends within the operation timeout.
                let retire = retireCurrent
                let grace = configuration.operationTimeout
                group.addTask {
                    try? await Task.sleep(for: grace)
                    retire.finish()
                }
                retireCurrent = retireSuccessor
                expiresAt = next.expiresAt
            }
        }
    }

    /// Runs `pool` in `group` until the returned continuation finishes (or the group is cancelled).
    private static func start(
        _ pool: PostgresClient,
        in group: inout DiscardingTaskGroup
    ) -> AsyncStream<Void>.Continuation {
        let (retirement, retire) = AsyncStream<Void>.makeStream()
        group.addTask {
            await withDiscardingTaskGroup { running in
                running.addTask { await pool.run() }
                for await _ in retirement {}
                running.cancelAll()
            }
        }
        return retire
    }

    /// A password that lasts longer than the one expiring at `expiry`; asks again after
    /// ``PostgresHeroRepository/Configuration/renewalRetryDelay`` when the provider fails or has
    /// none yet. Nil once cancelled.
    private func freshPassword(laterThan expiry: Date) async -> DatabasePassword? {
        while !Task.isCancelled {
            do {
                if let password = try await configuration.resolvePassword(), password.expiresAt.map({ $0 > expiry }) ?? true {
                    return password
                }
                logger.warning("The database password provider gave no password lasting past \(expiry.formatted(.iso8601)); asking again")
            } catch {
                // The error names the provider's failure, never a secret.
                logger.warning("Cannot renew the database password: \(error); open connections keep working")
            }
            guard await sleep(for: configuration.renewalRetryDelay) else { return nil }
        }
        return nil
    }

    /// Waits until `date` (at once when it has passed); false when cancelled meanwhile.
    private static func sleep(until date: Date) async -> Bool {
        await sleep(for: .seconds(max(0, date.timeIntervalSinceNow)))
    }

    /// Waits for `duration`; false when cancelled meanwhile.
    private static func sleep(for duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }

    private func sleep(for duration: Duration) async -> Bool { await Self.sleep(for: duration) }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
