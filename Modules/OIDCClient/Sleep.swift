/// Waits for a duration; the real one is `Task.sleep`, tests pass one that returns at once.
public typealias Sleep = @Sendable (Duration) async throws -> Void

/// Namespace for the default ``Sleep``.
public enum Sleeping {
    /// `Task.sleep(for:)`: really waits, throws `CancellationError` when the task is cancelled.
    public static let task: Sleep = { duration in try await Task.sleep(for: duration) }
}
