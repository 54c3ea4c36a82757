import NIOCore

/// A Swift task executor that runs jobs on one SwiftNIO event loop (SE-0417's task executor
/// preference), so that a connection's handler runs on the thread that owns its socket.
///
/// Hummingbird serves each connection from a task on Swift's global executor, whose threads
/// are not the event loops: every read from the socket and every write to it then crosses
/// between two threads and wakes one of them. A profile of hero-server under load was mostly
/// that (futex and scheduler time), not the work. With this preference a request is parsed,
/// authenticated, answered from a synchronous SQLite read and written without leaving its
/// event loop; connections spread over the loops, one per core, so the work of different
/// connections (an RSA verification, say) still runs in parallel. Unstructured tasks and
/// actors keep their own executors. The PostgreSQL store runs its calls on one too, on the
/// loops its connections live on.
public final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// An executor for the jobs of tasks that prefer `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
