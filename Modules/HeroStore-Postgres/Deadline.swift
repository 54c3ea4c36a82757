import EventLoopExecutor
import NIOCore
import PostgresNIO
import Synchronization

/// The error of an operation that outlived its deadline.
struct TimedOut: Error {}

/// The error of an operation given a pooled connection the server had closed.
struct ConnectionLost: Error {}

/// Runs an operation with a deadline, and answers at the deadline even when the operation does
/// not stop at once when cancelled (a query on a connection that went silent): the caller gets
/// ``TimedOut`` on time, and the operation, cancelled, ends in the background.
enum Deadline<T: Sendable> {
    /// The operation's result, or ``TimedOut`` once `timeout` has passed; cancelling the
    /// caller cancels the operation.
    static func race(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async -> Result<T, any Error> {
        let answer = Answer<T>()
        // Both the work and the timer run on one of the pool's event loops: the one this runs
        // on, when it runs on one (hero-server's requests do), so a query neither wakes another
        // thread to start nor to hand its result back. On Swift's global executor the work
        // cost two thread wake-ups per call, and waited behind whatever else ran there; a
        // sleeping task as the timer cost a task, a dispatch timer and, when cancelled, one
        // more wake-up.
        let loop = PostgresConnection.defaultEventLoopGroup.any()
        let work = Task(executorPreference: EventLoopTaskExecutor(loop)) { answer.give(await Result(catching: operation)) }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) {
            answer.give(.failure(TimedOut()))
            work.cancel()
        }
        let result = await withTaskCancellationHandler {
            await answer.value()
        } onCancel: {
            work.cancel()
            answer.give(.failure(CancellationError()))
        }
        timer.cancel()
        return result
    }
}

/// The first result given, handed to the one caller that waits for it.
private final class Answer<T: Sendable>: Sendable {
    private let state = Mutex<(result: Result<T, any Error>?, waiter: CheckedContinuation<Result<T, any Error>, Never>?)>((nil, nil))

    /// Gives `result` unless one was given before.
    func give(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<T, any Error>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    /// Waits for the first result.
    func value() async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing call.
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
