import Foundation
import Synchronization

/// A clock tests move by hand.
public final class ManualClock: Sendable {
    public init() {}

    private let start = ContinuousClock.now
    private let wallStart = Date()
    private let offset = Mutex<Duration>(.zero)

    public func advance(by duration: Duration) { offset.withLock { $0 += duration } }
    public var instant: ContinuousClock.Instant { start + offset.withLock { $0 } }
    public var date: Date {
        let (seconds, attoseconds) = offset.withLock { $0 }.components
        return wallStart.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }
}
