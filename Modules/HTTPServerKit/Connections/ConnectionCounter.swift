import Synchronization

/// Counts the connections a server has open, across its event loops, so that one over
/// ``ServerLimits/maxConnections`` can be turned away.
final class ConnectionCounter: Sendable {
    private let open = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a place if one is free; the caller must call ``release()`` once for a true answer.
    func admit() -> Bool {
        while true {
            let current = open.load(ordering: .relaxed)
            guard current < limit else { return false }
            if open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged { return true }
        }
    }

    /// Gives a place back.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }
}
