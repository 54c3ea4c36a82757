import Synchronization
import TestSupport

/// An injected sleep that returns at once: records each duration, moves `clock` by it, and
/// runs `afterEach` with the number of sleeps so far.
final class SleepRecorder: Sendable {
    private let durations = Mutex<[Duration]>([])
    private let clock: ManualClock?
    private let afterEach: @Sendable (Int) -> Void

    init(clock: ManualClock? = nil, afterEach: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.clock = clock
        self.afterEach = afterEach
    }

    /// The durations slept so far.
    var recorded: [Duration] { durations.withLock { $0 } }

    /// The sleep to inject.
    func sleep(_ duration: Duration) {
        let count = durations.withLock { durations in
            durations.append(duration)
            return durations.count
        }
        clock?.advance(by: duration)
        afterEach(count)
    }
}
